import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionStore } from '../store/SessionStore.js';

/** Options of {@link runSessionStoreConformance}. */
export interface SessionStoreConformanceOptions {
  /** Call `store.close()` after each test (when the store has one). Default true. */
  closeAfterEach?: boolean;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Rejects whether the store throws synchronously or returns a rejected promise. */
const attempt = (operation: () => Promise<unknown>) => Promise.resolve().then(operation);

const invalidTtls = [0, -1, -60_000, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];

/**
 * The behaviour every {@link SessionStore} must have, as a vitest suite: exact millisecond TTLs,
 * indexes that only name live keys, versioned writes, atomic counters and locks, byte-exact values.
 * Call it at the top level of a test file. It uses real timers (short waits, under ~2 s in total)
 * and its own unique keys, so it can run against a shared server such as Redis.
 *
 * Beyond the interface's TSDoc, the suite fixes two details: a key belongs to the index named by its
 * latest write (a rewrite without `index` leaves the index), and an expired key counts as absent
 * everywhere (`delete` answers false, `deleteIndex` does not count it).
 *
 * @param name Shown in the suite's title.
 * @param makeStore Called before each test; the store is closed after each test.
 *
 * @example
 * ```ts
 * // src/__tests__/MyStore.test.ts
 * import { runSessionStoreConformance } from '@paymo/auth-core/testing';
 * import { MyStore } from '../MyStore.js';
 *
 * runSessionStoreConformance('MyStore', () => new MyStore({ url: process.env.MY_STORE_URL }));
 * ```
 */
export function runSessionStoreConformance(
  name: string,
  makeStore: () => Promise<SessionStore> | SessionStore,
  options: SessionStoreConformanceOptions = {},
): void {
  const { closeAfterEach = true } = options;
  const runId = crypto.randomUUID().slice(0, 8);
  let testNumber = 0;

  describe(`${name} (SessionStore conformance)`, () => {
    let store: SessionStore;
    let prefix = '';
    const key = (suffix: string) => `${prefix}${suffix}`;

    beforeEach(async () => {
      prefix = `conformance:${runId}:${++testNumber}:`;
      store = await makeStore();
    });

    afterEach(async () => {
      if (closeAfterEach) await store.close?.();
    });

    describe('get / set / delete', () => {
      it('answers null for a key never set', async () => {
        expect(await store.get(key('missing'))).toBeNull();
      });

      it('stores, overwrites and deletes a value', async () => {
        expect(await store.set(key('a'), 'one', 60_000)).toBe(true);
        expect(await store.get(key('a'))).toBe('one');
        expect(await store.set(key('a'), 'two', 60_000)).toBe(true);
        expect(await store.get(key('a'))).toBe('two');
        expect(await store.delete(key('a'))).toBe(true);
        expect(await store.get(key('a'))).toBeNull();
        expect(await store.delete(key('a'))).toBe(false);
      });

      it('keeps keys apart, including keys with separators and unicode', async () => {
        const keys = ['k', 'k:', 'k:1', 'with space', '{tag}*?[x]', 'ünïcødé:日本'];
        for (const [i, suffix] of keys.entries()) await store.set(key(suffix), `value-${i}`, 60_000);
        for (const [i, suffix] of keys.entries()) expect(await store.get(key(suffix))).toBe(`value-${i}`);
      });
    });

    describe('peek (optional)', () => {
      it('answers synchronously what get would (or undefined: not known without I/O), never a stale value', async () => {
        const peek = store.peek?.bind(store);
        if (peek === undefined) return; // a store that does I/O has no peek: nothing to hold it to
        const agrees = async (k: string) => {
          const peeked = peek(k);
          if (peeked !== undefined) expect(peeked).toBe(await store.get(k));
        };
        await store.set(key('p'), 'value', 60_000);
        await store.set(key('short'), 'x', 30);
        await agrees(key('p'));
        await agrees(key('missing'));
        await store.set(key('p'), 'newer', 60_000);
        await agrees(key('p'));
        await store.delete(key('p'));
        expect([null, undefined]).toContain(peek(key('p')));
        await sleep(60);
        expect([null, undefined]).toContain(peek(key('short')));
      });
    });

    describe('TTL in milliseconds', () => {
      it('expires a 50 ms TTL, keeps a 2 s TTL, and counts an expired key as absent', async () => {
        await store.set(key('short'), 'x', 50);
        await store.set(key('long'), 'y', 2_000);
        await sleep(50);
        expect(await store.get(key('long'))).toBe('y');
        await sleep(40);
        expect(await store.get(key('short'))).toBeNull();
        expect(await store.delete(key('short'))).toBe(false);
        expect(await store.get(key('long'))).toBe('y');
      });

      it('expires at the millisecond TTL, not at a rounded second', async () => {
        // 1.4 s: a store rounding up to whole seconds still holds it at 1.5 s. (Seconds of slack before
        // the first read, for a loaded machine.)
        await store.set(key('exact'), 'x', 1_400);
        await sleep(100);
        expect(await store.get(key('exact'))).toBe('x');
        await sleep(1_400);
        expect(await store.get(key('exact'))).toBeNull();
      });

      it('takes the TTL of the latest write', async () => {
        await store.set(key('renewed'), 'first', 50);
        await store.set(key('renewed'), 'second', 5_000);
        await store.set(key('shortened'), 'first', 5_000);
        await store.set(key('shortened'), 'second', 50);
        await sleep(90);
        expect(await store.get(key('renewed'))).toBe('second');
        expect(await store.get(key('shortened'))).toBeNull();
      });

      it('rejects a TTL of 0, a negative one or a non-finite one, and stores nothing ("0" is not "forever")', async () => {
        for (const ttl of invalidTtls) {
          await expect(attempt(() => store.set(key('bad-ttl'), 'x', ttl)), `ttl ${ttl}`).rejects.toThrow();
          expect(await store.get(key('bad-ttl')), `ttl ${ttl}`).toBeNull();
          await expect(attempt(() => store.increment(key('bad-window'), ttl)), `window ${ttl}`).rejects.toThrow();
          await expect(attempt(() => store.acquireLock(key('bad-lock'), ttl)), `lock ${ttl}`).rejects.toThrow();
        }
        expect(await store.acquireLock(key('bad-lock'), 60_000)).toEqual(expect.any(String));
      });
    });

    describe('indexes', () => {
      it('lists only the live keys of an index', async () => {
        await store.set(key('a'), '1', 60_000, { index: key('user:1') });
        await store.set(key('b'), '2', 60_000, { index: key('user:1') });
        await store.set(key('b'), '2b', 60_000, { index: key('user:1') });
        await store.set(key('c'), '3', 60_000, { index: key('user:2') });
        await store.set(key('d'), '4', 60_000);
        expect((await store.listIndex(key('user:1'))).sort()).toEqual([key('a'), key('b')]);
        expect(await store.listIndex(key('user:2'))).toEqual([key('c')]);
        expect(await store.listIndex(key('user:unknown'))).toEqual([]);
        await store.delete(key('a'));
        expect(await store.listIndex(key('user:1'))).toEqual([key('b')]);
      });

      it('files a key under the index of its latest write only', async () => {
        await store.set(key('moved'), '1', 60_000, { index: key('old') });
        await store.set(key('moved'), '2', 60_000, { index: key('new') });
        expect(await store.listIndex(key('old'))).toEqual([]);
        expect(await store.listIndex(key('new'))).toEqual([key('moved')]);
        await store.set(key('moved'), '3', 60_000);
        expect(await store.listIndex(key('new'))).toEqual([]);
        expect(await store.deleteIndex(key('new'))).toBe(0);
        expect(await store.get(key('moved'))).toBe('3');
      });

      it('deletes every live key of an index, reports how many, and leaves other keys alone', async () => {
        for (const suffix of ['a', 'b', 'c']) await store.set(key(suffix), suffix, 60_000, { index: key('user:1') });
        await store.set(key('other'), 'o', 60_000, { index: key('user:2') });
        await store.set(key('plain'), 'p', 60_000);
        expect(await store.deleteIndex(key('user:1'))).toBe(3);
        for (const suffix of ['a', 'b', 'c']) expect(await store.get(key(suffix))).toBeNull();
        expect(await store.listIndex(key('user:1'))).toEqual([]);
        expect(await store.deleteIndex(key('user:1'))).toBe(0);
        expect(await store.get(key('other'))).toBe('o');
        expect(await store.listIndex(key('user:2'))).toEqual([key('other')]);
        expect(await store.get(key('plain'))).toBe('p');
        await store.set(key('a'), 'again', 60_000, { index: key('user:1') });
        expect(await store.listIndex(key('user:1'))).toEqual([key('a')]);
      });

      it('drops expired keys from an index and does not count them when deleting it', async () => {
        for (const suffix of ['x1', 'x2', 'x3']) await store.set(key(suffix), suffix, 50, { index: key('user:1') });
        await store.set(key('live'), 'l', 5_000, { index: key('user:1') });
        await sleep(90);
        expect(await store.listIndex(key('user:1'))).toEqual([key('live')]);
        await store.set(key('x1'), 'back', 5_000, { index: key('user:1') });
        expect((await store.listIndex(key('user:1'))).sort()).toEqual([key('live'), key('x1')]);
        expect(await store.deleteIndex(key('user:1'))).toBe(2);
      });

      it('empties an index whose keys all expired', async () => {
        for (let i = 0; i < 20; i++) await store.set(key(`e${i}`), 'v', 50, { index: key('user:1') });
        await sleep(90);
        expect(await store.listIndex(key('user:1'))).toEqual([]);
        expect(await store.deleteIndex(key('user:1'))).toBe(0);
      });
    });

    describe('versioned writes', () => {
      it('never overwrites a value of a higher or equal version', async () => {
        expect(await store.set(key('token'), 'v2', 60_000, { version: 2 })).toBe(true);
        expect(await store.set(key('token'), 'v1', 60_000, { version: 1 })).toBe(false);
        expect(await store.get(key('token'))).toBe('v2');
        expect(await store.set(key('token'), 'v2-again', 60_000, { version: 2 })).toBe(false);
        expect(await store.get(key('token'))).toBe('v2');
        expect(await store.set(key('token'), 'v3', 60_000, { version: 3 })).toBe(true);
        expect(await store.get(key('token'))).toBe('v3');
      });

      it('lets an unversioned write through, after which any version may write', async () => {
        await store.set(key('token'), 'v5', 60_000, { version: 5 });
        expect(await store.set(key('token'), 'plain', 60_000)).toBe(true);
        expect(await store.get(key('token'))).toBe('plain');
        expect(await store.set(key('token'), 'v1', 60_000, { version: 1 })).toBe(true);
        expect(await store.get(key('token'))).toBe('v1');
      });

      it('onlyIfExists updates a live key but never brings back a deleted or expired one', async () => {
        expect(await store.set(key('update'), 'v1', 60_000, { index: key('idx-upd') })).toBe(true);
        expect(await store.set(key('update'), 'v2', 60_000, { index: key('idx-upd'), onlyIfExists: true })).toBe(true);
        expect(await store.get(key('update'))).toBe('v2');
        await store.delete(key('update'));
        expect(await store.set(key('update'), 'v3', 60_000, { index: key('idx-upd'), onlyIfExists: true })).toBe(false);
        expect(await store.get(key('update'))).toBeNull();
        expect(await store.listIndex(key('idx-upd'))).toEqual([]);
        await store.set(key('short'), 'v1', 40);
        await sleep(80);
        expect(await store.set(key('short'), 'v2', 60_000, { onlyIfExists: true })).toBe(false);
        expect(await store.get(key('short'))).toBeNull();
        expect(await store.set(key('never'), 'v1', 60_000, { onlyIfExists: true })).toBe(false);
      });

      it('onlyIfExists loses to a concurrent deleteIndex (sign-out everywhere racing a write)', async () => {
        await store.set(key('raced'), 'v1', 60_000, { index: key('idx-race') });
        const [deleted] = await Promise.all([
          store.deleteIndex(key('idx-race')),
          store.set(key('raced'), 'v2', 60_000, { index: key('idx-race'), onlyIfExists: true }),
        ]);
        expect(deleted).toBe(1);
        // Whatever order the two took, the key is gone afterwards: an update cannot outlive a revoke-all.
        expect(await store.get(key('raced'))).toBeNull();
      });

      it('forgets the version when the value expires or is deleted', async () => {
        await store.set(key('expiring'), 'v9', 50, { version: 9 });
        await store.set(key('deleted'), 'v9', 60_000, { version: 9 });
        await store.delete(key('deleted'));
        await sleep(90);
        expect(await store.set(key('expiring'), 'v1', 60_000, { version: 1 })).toBe(true);
        expect(await store.set(key('deleted'), 'v1', 60_000, { version: 1 })).toBe(true);
        expect(await store.get(key('expiring'))).toBe('v1');
      });

      it('keeps the highest version when many versioned writes race', async () => {
        const versions = Array.from({ length: 30 }, (_, i) => i + 1).sort(() => Math.random() - 0.5);
        const results = await Promise.all(
          versions.map((version) => store.set(key('race'), `v${version}`, 60_000, { version })),
        );
        expect(results.filter(Boolean).length).toBeGreaterThanOrEqual(1);
        expect(await store.get(key('race'))).toBe('v30');
      });
    });

    describe('sliding window (optional admit)', () => {
      const admitOf = () => store.admit?.bind(store);

      it('admits up to the limit, then says how long to wait and records nothing for a refusal', async () => {
        const admit = admitOf();
        if (admit === undefined) return; // optional: the client falls back to increment()
        for (let i = 0; i < 5; i++) expect(await admit(key('quota'), 10_000, 5)).toBe(0);
        const wait = await admit(key('quota'), 10_000, 5);
        expect(wait).toBeGreaterThan(8_000);
        expect(wait).toBeLessThanOrEqual(10_000);
        // Refusals recorded nothing: another key, and a looser limit on this one, see 5 uses.
        expect(await admit(key('quota'), 10_000, 6)).toBe(0);
        expect(await admit(key('quota'), 10_000, 6)).toBeGreaterThan(0);
        expect(await admit(key('other-quota'), 10_000, 5)).toBe(0);
      });

      it('records several calls at once, and a high limit counts without refusing', async () => {
        const admit = admitOf();
        if (admit === undefined) return;
        expect(await admit(key('charged'), 10_000, Number.MAX_SAFE_INTEGER, 4)).toBe(0);
        expect(await admit(key('charged'), 10_000, 5)).toBe(0);
        expect(await admit(key('charged'), 10_000, 5)).toBeGreaterThan(0);
      });

      it('slides: a use leaves the window windowMs after it was made, not at a fixed boundary', async () => {
        const admit = admitOf();
        if (admit === undefined) return;
        expect(await admit(key('slide'), 1_500, 2)).toBe(0);
        await sleep(700);
        expect(await admit(key('slide'), 1_500, 2)).toBe(0);
        const wait = await admit(key('slide'), 1_500, 2);
        expect(wait).toBeGreaterThan(0);
        expect(wait).toBeLessThanOrEqual(800); // until the first use leaves, not a whole window
        await sleep(wait + 20);
        expect(await admit(key('slide'), 1_500, 2)).toBe(0);
        // The second use is still in the window: full again.
        expect(await admit(key('slide'), 1_500, 2)).toBeGreaterThan(0);
      });

      it('admits exactly the limit of 200 concurrent calls', async () => {
        const admit = admitOf();
        if (admit === undefined) return;
        const answers = await Promise.all(Array.from({ length: 200 }, () => admit(key('burst'), 10_000, 5)));
        expect(answers.filter((wait) => wait === 0)).toHaveLength(5);
      });
    });

    describe('places in line (optional reserve)', () => {
      const reserveOf = () => store.reserve?.bind(store);

      it('hands out places in the order asked: the limit now, the next ones a window later each', async () => {
        const reserve = reserveOf();
        if (reserve === undefined) return; // optional: the client falls back to admit() or increment()
        const waits = [];
        for (let i = 0; i < 6; i++) waits.push(await reserve(key('line'), 10_000, 2, 30_000));
        expect(waits.slice(0, 2)).toEqual([0, 0]);
        for (const [index, wait] of waits.slice(2).entries()) {
          const windows = 1 + Math.floor(index / 2); // places 3-4 one window ahead, 5-6 two
          expect(wait).toBeGreaterThan(windows * 10_000 - 2_000);
          expect(wait).toBeLessThanOrEqual(windows * 10_000);
        }
        expect(await reserve(key('other-line'), 10_000, 2, 30_000)).toBe(0);
      });

      it('records nothing for a place beyond maxWaitMs', async () => {
        const reserve = reserveOf();
        if (reserve === undefined) return;
        expect(await reserve(key('bounded'), 10_000, 1, 0)).toBe(0);
        const refused = await reserve(key('bounded'), 10_000, 1, 5_000);
        expect(refused).toBeGreaterThan(5_000); // the place would be a window away
        // Nothing was recorded: the next place is still one window away, not two.
        const next = await reserve(key('bounded'), 10_000, 1, 30_000);
        expect(next).toBeGreaterThan(8_000);
        expect(next).toBeLessThanOrEqual(10_000);
      });

      it('200 concurrent callers: exactly the limit now, the limit a window later, the rest refused', async () => {
        const reserve = reserveOf();
        if (reserve === undefined) return;
        const waits = await Promise.all(Array.from({ length: 200 }, () => reserve(key('crowd'), 10_000, 5, 15_000)));
        expect(waits.filter((wait) => wait === 0)).toHaveLength(5);
        const ahead = waits.filter((wait) => wait > 0 && wait <= 15_000);
        expect(ahead).toHaveLength(5);
        for (const wait of ahead) expect(wait).toBeGreaterThan(8_000);
        expect(waits.filter((wait) => wait > 15_000)).toHaveLength(190);
      });

      it('shares its window with admit, whose uses now sit before places handed out ahead', async () => {
        const reserve = reserveOf();
        const admit = store.admit?.bind(store);
        if (reserve === undefined || admit === undefined) return;
        expect(await reserve(key('mixed'), 1_500, 1, 10_000)).toBe(0);
        const ahead = await reserve(key('mixed'), 1_500, 1, 10_000); // a place about 1.5 s ahead
        expect(ahead).toBeGreaterThan(1_000);
        // admit sees the window full, and an uncapped admit (the engine's own call) records a use now.
        expect(await admit(key('mixed'), 1_500, 1)).toBeGreaterThan(0);
        expect(await admit(key('mixed'), 1_500, Number.MAX_SAFE_INTEGER)).toBe(0);
        await sleep(1_600); // the first place and the admitted use have left; the place ahead has not
        const next = await reserve(key('mixed'), 1_500, 1, 10_000);
        // One window after the place ahead: about 1.4 s from now, whatever order the uses were recorded in.
        expect(next).toBeGreaterThan(700);
        expect(next).toBeLessThanOrEqual(1_500);
      });
    });

    describe('counters', () => {
      it('counts a fixed window and tells when it resets', async () => {
        const first = await store.increment(key('hits'), 10_000);
        expect(first.count).toBe(1);
        expect(first.resetInMs).toBeGreaterThan(9_000);
        expect(first.resetInMs).toBeLessThanOrEqual(10_000);
        const second = await store.increment(key('hits'), 10_000);
        expect(second.count).toBe(2);
        expect(second.resetInMs).toBeLessThanOrEqual(first.resetInMs);
        expect((await store.increment(key('other-hits'), 10_000)).count).toBe(1);
      });

      it('starts a new window once the old one is over (the window is not extended by hits)', async () => {
        await store.increment(key('hits'), 1_000);
        await sleep(500);
        expect((await store.increment(key('hits'), 1_000)).count).toBe(2);
        // 1.05 s after the first hit, 0.55 s after the second: a window extended by hits would still run.
        await sleep(550);
        const next = await store.increment(key('hits'), 1_000);
        expect(next.count).toBe(1);
        expect(next.resetInMs).toBeGreaterThan(500);
      });

      it('adds a delta, also a negative one that gives an attempt back, within the same window', async () => {
        await store.increment(key('delta'), 60_000);
        expect((await store.increment(key('delta'), 60_000, 3)).count).toBe(4);
        const back = await store.increment(key('delta'), 60_000, -1);
        expect(back.count).toBe(3);
        expect(back.resetInMs).toBeGreaterThan(59_000);
      });

      it('never starts a window for a delta <= 0: a read (0) or a late give-back (-1) of an absent counter is 0', async () => {
        expect(await store.increment(key('delta-fresh'), 60_000, -1)).toEqual({ count: 0, resetInMs: 0 });
        expect(await store.increment(key('delta-fresh'), 60_000, 0)).toEqual({ count: 0, resetInMs: 0 });
        expect((await store.increment(key('delta-fresh'), 60_000)).count).toBe(1);
        const read = await store.increment(key('delta-fresh'), 60_000, 0);
        expect(read.count).toBe(1);
        expect(read.resetInMs).toBeGreaterThan(59_000);
        // A late give-back (its window already ended and a new one began) never goes below zero.
        expect((await store.increment(key('delta-fresh'), 60_000, -3)).count).toBe(0);
        expect((await store.increment(key('delta-fresh'), 60_000)).count).toBe(1);
      });

      it('counts many parallel increments exactly', async () => {
        const results = await Promise.all(Array.from({ length: 100 }, () => store.increment(key('burst'), 60_000)));
        expect(results.map((result) => result.count).sort((a, b) => a - b)).toEqual(
          Array.from({ length: 100 }, (_, i) => i + 1),
        );
      });
    });

    describe('locks', () => {
      it('gives a lock to exactly one of many parallel callers', async () => {
        const owners = await Promise.all(Array.from({ length: 25 }, () => store.acquireLock(key('lock'), 60_000)));
        expect(owners.filter((owner) => owner !== null)).toHaveLength(1);
      });

      it('releases only for the owner', async () => {
        const owner = await store.acquireLock(key('lock'), 60_000);
        expect(owner).toEqual(expect.any(String));
        await store.releaseLock(key('lock'), 'not-the-owner');
        expect(await store.acquireLock(key('lock'), 60_000)).toBeNull();
        await store.releaseLock(key('lock'), owner!);
        const next = await store.acquireLock(key('lock'), 60_000);
        expect(next).toEqual(expect.any(String));
        expect(next).not.toBe(owner);
      });

      it('frees a lock after its TTL, and a late release by the old owner does not free the new one', async () => {
        const first = await store.acquireLock(key('lock'), 50);
        await sleep(90);
        const second = await store.acquireLock(key('lock'), 60_000);
        expect(second).toEqual(expect.any(String));
        expect(second).not.toBe(first);
        await store.releaseLock(key('lock'), first!);
        expect(await store.acquireLock(key('lock'), 60_000)).toBeNull();
      });

      it('keeps locks apart from values', async () => {
        await store.acquireLock(key('shared'), 60_000);
        expect(await store.acquireLock(key('other'), 60_000)).toEqual(expect.any(String));
      });
    });

    describe('values round-trip byte-exact', () => {
      it.each([
        ['the empty string', ''],
        ['accents and CJK', 'héllo wörld, 日本語, Ελληνικά'],
        ['emoji with joiners', '👩‍👩‍👧‍👦 🇧🇪 🧑🏽‍💻'],
        ['control characters', 'nul\u0000 tab\t cr\r lf\n del\u007f'],
        ['quotes and escapes', `"double" 'single' \\ back\\slash \\u0000 %s $1`],
        ['JSON', JSON.stringify({ user: { id: 1, name: 'Zoë "Z"' }, token: 'iv.cipher', lone: '\ud800' })],
      ])('%s', async (_label, value) => {
        await store.set(key('value'), value, 60_000);
        const stored = await store.get(key('value'));
        expect(stored).toBe(value);
      });

      it('a 10 KB value of mixed-width characters', async () => {
        const alphabet = 'aZ0~é€日😀\n"\\';
        const chars = Array.from(alphabet);
        let value = '';
        for (let i = 0; value.length < 10_240; i++) value += chars[(i * 7 + (i >> 3)) % chars.length];
        await store.set(key('big'), value, 60_000);
        expect(await store.get(key('big'))).toBe(value);
      });
    });
  });
}
