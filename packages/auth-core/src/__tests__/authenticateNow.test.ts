// auth.authenticateNow(): the hot path without a promise, and the cases where it must step aside so
// that authenticate() decides (re-check, "last seen" write, expiry, ended or tampered records).
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { MemorySessionStore, type PaymoAuthRequestLike } from '@paymo/auth-core';
import { admin, createHarness, RecordingStore, type Harness } from './engineHarness.js';
import { MAX_PARSED_RECORDS, ParsedRecordCache } from '../engine/parsedRecordCache.js';
import type { LocalSessionRecord } from '../engine/localSession.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const SECOND = 1_000;

function requestWith(cookie: string): PaymoAuthRequestLike {
  return { method: 'GET', url: 'http://app.test/api/things', headers: new Headers({ cookie }) };
}

async function signedIn(options: { store?: MemorySessionStore } = {}) {
  const store = options.store ?? new MemorySessionStore();
  h = await createHarness({ store, session: { revalidateAfterMs: 60 * SECOND, touchIntervalMs: 30 * SECOND } });
  const { cookie } = await h.signIn(admin);
  expect(cookie).not.toBe('');
  return { auth: h.auth, cookie, store };
}

describe('authenticateNow', () => {
  it('knows a fresh cookie session at once: the same user and session as authenticate(), no Paymo call', async () => {
    const { auth, cookie } = await signedIn();
    const calls = h!.fake.requests.length;
    const now = auth.authenticateNow(requestWith(cookie), { secure: false });
    const later = await auth.authenticate(requestWith(cookie), { secure: false });
    expect(now?.authenticated).toBe(true);
    expect(later.authenticated).toBe(true);
    expect(now!.user).toEqual(later.authenticated && later.user);
    expect(now!.session).toEqual(later.authenticated && later.session);
    expect(now!.strategy).toBe('cookie');
    expect(h!.fake.requests.length).toBe(calls);
  });

  it('never bypasses a store subclass that overrides get(): it steps aside, and authenticate() reads through the override', async () => {
    class AuditedStore extends MemorySessionStore {
      reads: string[] = [];
      override async get(key: string): Promise<string | null> {
        this.reads.push(key);
        return super.get(key);
      }
    }
    const { auth, cookie, store } = await signedIn({ store: new AuditedStore() });
    const audited = store as AuditedStore;
    expect(auth.authenticateNow(requestWith(cookie))).toBeUndefined();
    audited.reads = [];
    expect((await auth.authenticate(requestWith(cookie))).authenticated).toBe(true);
    expect(audited.reads.filter((key) => key.startsWith('sess:'))).toHaveLength(1);
  });

  it('steps aside when the re-check is due, and takes over again once authenticate() has done it', async () => {
    const { auth, cookie } = await signedIn();
    h!.advance(61 * SECOND);
    expect(auth.authenticateNow(requestWith(cookie))).toBeUndefined();
    const checks = () => h!.fake.requests.filter((entry) => entry.path.startsWith('/api/sessions/')).length;
    const before = checks();
    expect((await auth.authenticate(requestWith(cookie))).authenticated).toBe(true);
    expect(checks()).toBe(before + 1);
    expect(auth.authenticateNow(requestWith(cookie))?.authenticated).toBe(true);
  });

  it('steps aside when "last seen" must be written, so the idle timeout keeps counting', async () => {
    const { auth, cookie } = await signedIn();
    h!.advance(31 * SECOND);
    expect(auth.authenticateNow(requestWith(cookie))).toBeUndefined();
    await auth.authenticate(requestWith(cookie));
    expect(auth.authenticateNow(requestWith(cookie))?.authenticated).toBe(true);
  });

  it('knows nothing of an ended session, a missing or wrong cookie, or another credential', async () => {
    const { auth, cookie } = await signedIn();
    expect(auth.authenticateNow(requestWith('paymo.sid=' + 'x'.repeat(43)))).toBeUndefined();
    expect(auth.authenticateNow({ method: 'GET', url: 'http://app.test/', headers: new Headers() })).toBeUndefined();
    expect(auth.authenticateNow({ method: 'GET', url: 'http://app.test/', headers: new Headers({ 'x-session': 'a'.repeat(32) }) })).toBeUndefined();
    const signOut = await h!.send('/auth/sign-out', { method: 'POST', body: {}, cookie, headers: { origin: h!.origin } });
    expect(signOut.status).toBe(200);
    expect(auth.authenticateNow(requestWith(cookie))).toBeUndefined();
    expect((await auth.authenticate(requestWith(cookie))).authenticated).toBe(false);
  });

  it('reads a rewritten record afresh: a record changed in the store is never served from the parse cache', async () => {
    const store = new MemorySessionStore();
    const { auth, cookie } = await signedIn({ store });
    expect(auth.authenticateNow(requestWith(cookie))?.user.name).toBe('Michael Scott');
    // Someone with write access to the store renames the user in the record (no `secret` set).
    const record = await findSessionRecord(store);
    await store.set(record.key, record.value.replace('"Michael Scott"', '"Someone Else"'), 60_000);
    expect(auth.authenticateNow(requestWith(cookie))?.user.name).toBe('Someone Else');
    // And a record that no longer parses is left to authenticate(), which deletes it.
    await store.set(record.key, '{"v":', 60_000);
    expect(auth.authenticateNow(requestWith(cookie))).toBeUndefined();
    expect((await auth.authenticate(requestWith(cookie))).authenticated).toBe(false);
  });

  it('a signed-in state logged, spread or sent as JSON shows neither the cookie value nor the sealed token', async () => {
    const { auth, cookie, store } = await signedIn();
    const cookieValue = cookie.slice(cookie.indexOf('=') + 1);
    const record = await findSessionRecord(store);
    const sealedToken = (JSON.parse(record.value) as { token: string }).token;
    for (const state of [auth.authenticateNow(requestWith(cookie))!, await auth.authenticate(requestWith(cookie))]) {
      const shown = [inspect(state, { depth: 5, showHidden: true }), JSON.stringify(state), JSON.stringify({ ...state })].join('\n');
      expect(shown).not.toContain(cookieValue);
      expect(shown).not.toContain(sealedToken);
      expect(JSON.parse(JSON.stringify(state))).toEqual({
        authenticated: true,
        user: expect.objectContaining({ email: admin.email }),
        session: expect.objectContaining({ strategy: 'cookie' }),
        strategy: 'cookie',
      });
    }
  });

  it("a route that changes req.paymo.user changes neither the next request's user nor the stored record", async () => {
    const { auth, cookie, store } = await signedIn();
    const first = auth.authenticateNow(requestWith(cookie))!;
    (first.user as { name: string }).name = 'Changed By A Route';
    Object.assign(first.user, { roles: ['x'] });
    const next = auth.authenticateNow(requestWith(cookie))!;
    expect(next.user.name).toBe('Michael Scott');
    expect(next.session.user.name).toBe('Michael Scott');
    expect((await findSessionRecord(store)).value).not.toContain('Changed By A Route');
  });

  it('is never used with a store that cannot answer without I/O', async () => {
    h = await createHarness(); // a RecordingStore: no peek()
    expect(h.store).toBeInstanceOf(RecordingStore);
    const { cookie } = await h.signIn(admin);
    expect(h.auth.authenticateNow(requestWith(cookie))).toBeUndefined();
    expect((await h.auth.authenticate(requestWith(cookie))).authenticated).toBe(true);
  });
});

/** The one session record in a store that holds one sign-in (found through the user's index). */
async function findSessionRecord(store: MemorySessionStore): Promise<{ key: string; value: string }> {
  const [key] = await store.listIndex(`user:${1}`);
  const value = key === undefined ? null : await store.get(key);
  if (key === undefined || value === null) throw new Error('no session record in the store');
  return { key, value };
}

describe('ParsedRecordCache', () => {
  it('stays bounded however many sessions pass: the oldest entries go first', () => {
    const cache = new ParsedRecordCache();
    const record = (n: number) => ({ n }) as unknown as LocalSessionRecord;
    for (let n = 0; n <= MAX_PARSED_RECORDS + 100; n++) cache.set(`sess:${n}`, `raw-${n}`, record(n));
    expect(cache.get('sess:0', 'raw-0')).toBeUndefined();
    expect(cache.get('sess:100', 'raw-100')).toBeUndefined();
    expect(cache.get(`sess:${MAX_PARSED_RECORDS + 100}`, `raw-${MAX_PARSED_RECORDS + 100}`)).toEqual({ n: MAX_PARSED_RECORDS + 100 });
    expect(cache.get('sess:101', 'raw-101')).toEqual({ n: 101 });
    expect(cache.get('sess:101', 'raw-other')).toBeUndefined(); // other bytes: never served from the cache
  });

  it('300 concurrent requests of ten sessions: each is answered with its own session, never another\'s', async () => {
    const { auth } = await signedIn();
    const cookies: string[] = [];
    for (let i = 0; i < 10; i++) cookies.push((await h!.signIn(admin)).cookie);
    // Each session's own identity: its creation time, one per sign-in.
    const createdAt = new Map<string, string>();
    for (const cookie of cookies) {
      const state = await auth.authenticate(requestWith(cookie));
      createdAt.set(cookie, state.authenticated ? state.session.createdAt : 'signed out');
    }
    expect(new Set(createdAt.values()).size).toBe(cookies.length);
    const results = await Promise.all(
      Array.from({ length: 300 }, async (_, i) => {
        const cookie = cookies[i % cookies.length]!;
        const state = i % 2 === 0 ? auth.authenticateNow(requestWith(cookie)) : await auth.authenticate(requestWith(cookie));
        return { cookie, state };
      }),
    );
    for (const { cookie, state } of results) {
      expect(state?.authenticated).toBe(true);
      expect(state?.authenticated && state.session.createdAt).toBe(createdAt.get(cookie));
    }
  });
});
