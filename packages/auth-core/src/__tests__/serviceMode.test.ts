import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakePaymo, demoAccounts } from '@paymo/fake-api';
import { createPaymoClient, isPaymoAuthError } from '@paymo/auth-core';
import type { PaymoClientOptions, PaymoCredential, SessionStore } from '@paymo/auth-core';
import { MemorySessionStore } from '../store/MemorySessionStore.js';

type Fake = Awaited<ReturnType<typeof createFakePaymo>>;
let fake: Fake;
let offset: number;
/** The client's clock; `advance` moves it and the fake's together, as real time would. */
const now = () => Date.now() + offset;
const advance = (ms: number) => {
  offset += ms;
  fake.clock.advance(ms);
};

beforeEach(async () => {
  // Looser than the fake's default quota (5 per 5 s) on purpose: these tests make many Paymo calls per
  // test and check other behaviour; the quota itself is tested in quota.test.ts files.
  fake = await createFakePaymo({ rateLimit: { limit: 100, decayPeriodSeconds: 10 } });
  offset = 0;
});
afterEach(async () => {
  await fake.close();
});

const DAY = 24 * 3600 * 1000;
const MINUTE = 60_000;
const LIFETIME = 31 * DAY;
const admin = demoAccounts.admin;
const apiKey: PaymoCredential = { type: 'apiKey', apiKey: admin.apiKey };
// quota: false: these tests count every request and check retries and renewals, not the quota budget
// (waiting for the window, sharing identical GETs), which quota.test.ts files cover.
const service = (options: Partial<PaymoClientOptions> = {}) =>
  createPaymoClient({ baseUrl: fake.url, credential: apiKey, service: true, now, quota: false, ...options });
const mints = () => fake.countRequests({ method: 'POST', path: '/api/sessions' });
const meStatuses = () => fake.requests.filter((r) => r.path === '/api/me').map((r) => `${r.status}:${r.auth}`);

/** `store` with some methods replaced (stores may use private fields, so no prototype tricks). */
function delegate(store: SessionStore, overrides: Partial<SessionStore>): SessionStore {
  return {
    get: (key) => store.get(key),
    set: (key, value, ttlMs, options) => store.set(key, value, ttlMs, options),
    delete: (key) => store.delete(key),
    listIndex: (index) => store.listIndex(index),
    deleteIndex: (index) => store.deleteIndex(index),
    increment: (key, windowMs) => store.increment(key, windowMs),
    acquireLock: (key, ttlMs) => store.acquireLock(key, ttlMs),
    releaseLock: (key, owner) => store.releaseLock(key, owner),
    ...overrides,
  };
}

/** A store that records writes, to check what it is given. */
function recording(store: SessionStore) {
  const writes: Array<{ key: string; value: string; version: number | undefined }> = [];
  const wrapped = delegate(store, {
    set: async (key, value, ttlMs, options) => {
      writes.push({ key, value, version: options?.version });
      return store.set(key, value, ttlMs, options);
    },
  });
  return { store: wrapped, writes };
}

describe('service mode, one process', () => {
  it('50 concurrent requests share exactly one POST /api/sessions and use X-Session', async () => {
    const client = service();
    const users = await Promise.all(Array.from({ length: 50 }, () => client.me()));
    expect(users.every((u) => u.id === admin.id)).toBe(true);
    expect(mints()).toBe(1);
    const me = fake.requests.filter((r) => r.path === '/api/me');
    expect(me).toHaveLength(50);
    expect(me.every((r) => r.auth === 'session' && r.status === 200)).toBe(true);
    // The POST itself used the API key.
    expect(fake.requests.find((r) => r.method === 'POST')?.auth).toBe('apiKey');
    await client.me();
    expect(mints()).toBe(1);
  });

  it('works from email/password too', async () => {
    const client = service({ credential: { type: 'basic', email: admin.email, password: admin.password } });
    await Promise.all([client.me(), client.me()]);
    expect(mints()).toBe(1);
    expect(fake.requests.find((r) => r.method === 'POST')?.auth).toBe('basic');
  });

  it('renews renewBeforeMs ahead of expiry, once for concurrent callers', async () => {
    const client = service({ service: { renewBeforeMs: 5 * MINUTE } });
    await client.me();
    advance(LIFETIME - 6 * MINUTE);
    await client.me();
    expect(mints()).toBe(1);
    advance(2 * MINUTE); // now 4 minutes before expiry: inside the renewal window
    await Promise.all(Array.from({ length: 20 }, () => client.me()));
    expect(mints()).toBe(2);
    expect(fake.requests.filter((r) => r.status === 401)).toHaveLength(0);
  });

  it('corrects the expiry by the clock skew Paymo\'s Date header reveals', async () => {
    fake.clock.advance(2 * 3600_000); // Paymo's clock runs 2 hours ahead of ours
    const client = service({ service: { renewBeforeMs: 5 * MINUTE } });
    await client.me();
    // expires_on reads "created + 31 days" on Paymo's clock, i.e. 31 days from now on ours, not 31 days + 2 h.
    advance(LIFETIME - 6 * MINUTE);
    await client.me();
    expect(mints()).toBe(1);
    advance(2 * MINUTE);
    await client.me();
    expect(mints()).toBe(2);
    expect(fake.requests.filter((r) => r.status === 401)).toHaveLength(0);
  });

  it('a revoked token: one renewal shared by the callers that got 401, each retried once', async () => {
    const client = service();
    await client.me();
    const [token] = fake.sessions.list(admin.id).map((s) => s.id);
    fake.sessions.revoke(token!);
    fake.resetRequests();
    const users = await Promise.all(Array.from({ length: 10 }, () => client.me()));
    expect(users.every((u) => u.id === admin.id)).toBe(true);
    expect(mints()).toBe(1);
    const statuses = meStatuses();
    expect(statuses.filter((s) => s === '401:session')).toHaveLength(10);
    expect(statuses.filter((s) => s === '200:session')).toHaveLength(10);
  });

  it('retries only once: when the renewed session is refused too, the 401 surfaces', async () => {
    const client = service();
    await client.me();
    fake.users.archive(admin.id);
    fake.resetRequests();
    const error = await client.me().catch((e: unknown) => e);
    expect(isPaymoAuthError(error) && error.code).toBe('INVALID_CREDENTIALS');
    expect(mints()).toBe(1); // the renewal attempt, refused
    expect(fake.countRequests({ path: '/api/me' })).toBe(1);
  });

  it('keeps using a still-valid token when renewal ahead of expiry fails', async () => {
    const client = service({ service: { renewBeforeMs: 5 * MINUTE } });
    await client.me();
    advance(LIFETIME - 4 * MINUTE);
    fake.faults.inject({ status: 503, times: 1, method: 'POST', path: '/api/sessions' });
    expect(await client.me()).toMatchObject({ id: admin.id });
    expect(await client.me()).toMatchObject({ id: admin.id }); // cooling down: no new POST
    expect(mints()).toBe(2);
  });

  it('a failed first mint rejects every waiting caller with the typed error', async () => {
    fake.rateLimit.exhaust();
    const client = service();
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => client.me()));
    expect(results.every((r) => r.status === 'rejected' && isPaymoAuthError(r.reason) && r.reason.code === 'RATE_LIMITED')).toBe(true);
    expect(mints()).toBe(1);
  });
});

describe('service mode with a shared store (several processes)', () => {
  it('keeps the token encrypted under a hashed key, versioned by expiry', async () => {
    const { store, writes } = recording(new MemorySessionStore({ now }));
    await service({ service: { store } }).me();
    const [token] = fake.sessions.list(admin.id).map((s) => s.id);
    expect(writes).toHaveLength(1);
    const [write] = writes;
    expect(write!.key).toMatch(/^paymo:service:[A-Za-z0-9_-]{43}$/);
    expect(write!.key).not.toContain(admin.apiKey);
    expect(write!.value).not.toContain(token!);
    expect(write!.value).not.toContain(admin.apiKey);
    const expiresOn = Date.parse(fake.sessions.get(token!)!.expires_on);
    expect(Math.abs(write!.version! - expiresOn)).toBeLessThan(1500);
  });

  it('two processes starting at once make one POST; a third reuses the stored token', async () => {
    const store = new MemorySessionStore({ now });
    const a = service({ service: { store } });
    const b = service({ service: { store } });
    await Promise.all([...Array.from({ length: 25 }, () => a.me()), ...Array.from({ length: 25 }, () => b.me())]);
    expect(mints()).toBe(1);
    await service({ service: { store } }).me();
    expect(mints()).toBe(1);
  });

  it('renewal ahead of expiry across processes: one POST', async () => {
    const store = new MemorySessionStore({ now });
    const a = service({ service: { store } });
    const b = service({ service: { store } });
    await Promise.all([a.me(), b.me()]);
    advance(LIFETIME - 4 * MINUTE);
    await Promise.all([...Array.from({ length: 10 }, () => a.me()), ...Array.from({ length: 10 }, () => b.me())]);
    expect(mints()).toBe(2);
    expect(fake.requests.filter((r) => r.status === 401)).toHaveLength(0);
  });

  it('a revoked token across processes: one POST, everyone retried once', async () => {
    const store = new MemorySessionStore({ now });
    const a = service({ service: { store } });
    const b = service({ service: { store } });
    await Promise.all([a.me(), b.me()]);
    const [token] = fake.sessions.list(admin.id).map((s) => s.id);
    fake.sessions.revoke(token!);
    fake.resetRequests();
    await Promise.all([...Array.from({ length: 5 }, () => a.me()), ...Array.from({ length: 5 }, () => b.me())]);
    expect(mints()).toBe(1);
    expect(meStatuses().filter((s) => s === '200:session')).toHaveLength(10);
  });

  it('never lets an older token overwrite a newer one', async () => {
    const shared = new MemorySessionStore({ now });
    // Simulate a lost lock (split brain): both processes believe they hold it, and A's write is slow.
    let releaseA!: () => void;
    const aMayWrite = new Promise<void>((resolve) => (releaseA = resolve));
    let aWrote: boolean | undefined;
    const storeA = delegate(shared, {
      acquireLock: async () => 'a',
      set: async (...args) => {
        await aMayWrite;
        aWrote = await shared.set(...args);
        return aWrote;
      },
    });
    const storeB = delegate(shared, { acquireLock: async () => 'b' });
    const a = service({ service: { store: storeA } });
    const b = service({ service: { store: storeB } });

    const aFirst = a.me();
    await expect.poll(() => mints(), { timeout: 10_000 }).toBe(1); // A minted the older token and is stuck writing it
    advance(10_000);
    await b.me(); // B mints a newer one and stores it
    expect(mints()).toBe(2);
    releaseA();
    await aFirst;
    expect(aWrote).toBe(false);

    // The store kept B's token: a newcomer uses it without minting, and A has switched to it too.
    const [older, newer] = fake.sessions.list(admin.id).sort((x, y) => Date.parse(x.created_on) - Date.parse(y.created_on));
    fake.sessions.revoke(older!.id);
    fake.resetRequests();
    await service({ service: { store: shared } }).me();
    await a.me();
    expect(mints()).toBe(0);
    expect(meStatuses()).toEqual(['200:session', '200:session']);
    expect(newer).toBeDefined();
  });

  it('falls back to in-process renewal when the store is down', async () => {
    const down = async () => {
      throw new Error('store down');
    };
    const broken: SessionStore = {
      get: down, set: down, delete: down, listIndex: down, deleteIndex: down, increment: down, acquireLock: down, releaseLock: down,
    };
    const client = service({ service: { store: broken } });
    await Promise.all(Array.from({ length: 5 }, () => client.me()));
    expect(mints()).toBe(1);
  });

  it('a process waiting on another one\'s renewal gives up after a bound, with a typed error', async () => {
    const shared = new MemorySessionStore({ now });
    // Someone else holds the lock and never writes.
    const stuck = delegate(shared, { acquireLock: async () => null });
    const client = service({ timeoutMs: 100, service: { store: stuck } });
    const error = await client.me().catch((e: unknown) => e);
    expect(isPaymoAuthError(error) && error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(mints()).toBe(0);
  }, 15_000);
});
