import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakePaymo, demoAccounts } from '@paymo/fake-api';
import { MemorySessionStore, createPaymoClient, isPaymoAuthError } from '@paymo/auth-core';
import type { PaymoCredential } from '@paymo/auth-core';

type Fake = Awaited<ReturnType<typeof createFakePaymo>>;
let fake: Fake;

// The fake's default quota (5 requests per 5 s per user): the budget under test must live within it.
beforeEach(async () => {
  fake = await createFakePaymo();
});
afterEach(async () => {
  await fake.close();
});

const admin = demoAccounts.admin;
const apiKey: PaymoCredential = { type: 'apiKey', apiKey: admin.apiKey };
const client = () => createPaymoClient({ baseUrl: fake.url, credential: apiKey });

describe("createPaymoClient spends the user's Paymo quota", () => {
  it('8 concurrent distinct GETs: held for the next window, all answered, no 429 from Paymo', async () => {
    const paymo = client();
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 8 }, (_, index) => paymo.request('GET', `/users?where=${encodeURIComponent(`id>${index}`)}`)));
    expect(results).toHaveLength(8);
    expect(fake.requests.filter((entry) => entry.status === 429)).toEqual([]);
    expect(fake.requests).toHaveLength(8);
    // Five fit the first window, the other three waited for the second.
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_500);
  }, 20_000);

  it("calls sent at once for the same user (the engine's own) count in the budget, so the others meet no 429", async () => {
    const quota = { owner: `user:${admin.id}` };
    const data = createPaymoClient({ baseUrl: fake.url, credential: apiKey, quota });
    const engine = createPaymoClient({ baseUrl: fake.url, credential: apiKey, retry: false, quota: { ...quota, priority: true, shareGets: false } });
    await data.request('GET', '/users'); // opens the window: 4 left
    await Promise.all([engine.me(), engine.sessions.list(), engine.request('GET', '/company')]); // 1 left
    await Promise.all(Array.from({ length: 3 }, (_, index) => data.request('GET', `/users?where=${encodeURIComponent(`id>${index}`)}`)));
    expect(fake.requests).toHaveLength(7);
    expect(fake.requests.filter((entry) => entry.status === 429)).toEqual([]);
    // …and are never held: this window has 3 left (two data calls waited for it); a fourth goes at
    // once too, and gets Paymo's own answer.
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 4 }, () => engine.me().then(() => 'ok', (error: unknown) => (isPaymoAuthError(error) ? error.code : error))));
    expect(answers.sort()).toEqual(['RATE_LIMITED', 'ok', 'ok', 'ok']);
    expect(Date.now() - started).toBeLessThan(2_000);
  }, 20_000);

  it('200 concurrent identical GETs: one upstream call, every caller answered', async () => {
    const paymo = client();
    const answers = await Promise.all(Array.from({ length: 200 }, () => paymo.me()));
    expect(answers.every((user) => user.id === admin.id)).toBe(true);
    expect(fake.countRequests({ path: '/api/me' })).toBe(1);
  });

  it('a 429 is waited out and retried for POST too (Paymo did not act on it)', async () => {
    fake.rateLimit.configure({ limit: 5, decayPeriodSeconds: 2 });
    fake.rateLimit.exhaust(admin.id);
    const session = await client().sessions.create();
    expect(session.id).toEqual(expect.any(String));
    expect(fake.requests.map((entry) => `${entry.method} ${entry.status}`)).toEqual(['POST 429', 'POST 201']);
  }, 10_000);

  it('a wait longer than quota.maxWaitMs: RATE_LIMITED with retryAfter at once, nothing more sent', async () => {
    fake.rateLimit.exhaust(admin.id);
    const paymo = createPaymoClient({ baseUrl: fake.url, credential: apiKey, quota: { maxWaitMs: 1_000 } });
    const error = await paymo.me().then(() => undefined, (caught: unknown) => caught);
    expect(isPaymoAuthError(error) && error.code).toBe('RATE_LIMITED');
    expect(isPaymoAuthError(error) && error.retryAfter).toBeGreaterThanOrEqual(1);
    // The client now knows the window is spent: the next call is refused without asking Paymo.
    const again = await paymo.request('GET', '/clients').then(() => undefined, (caught: unknown) => caught);
    expect(isPaymoAuthError(again) && again.code).toBe('RATE_LIMITED');
    expect(fake.requests).toHaveLength(1);
  });

  it('refuses a bad quota option with CONFIG_ERROR', () => {
    expect(() => createPaymoClient({ baseUrl: fake.url, credential: apiKey, quota: { maxWaitMs: -1 } })).toThrow(/quota.maxWaitMs/);
  });
});

describe('with a shared store (quota.store), the fleet-wide budget', () => {
  const distinctGets = (paymo: ReturnType<typeof client>, count: number) =>
    Promise.all(Array.from({ length: count }, (_, index) => paymo.request('GET', `/users?where=${encodeURIComponent(`id>${index}`)}`)));

  it("takes one place in the store's line per call (reserve): 8 distinct GETs all answered, no 429", async () => {
    const store = new MemorySessionStore();
    const places: number[] = [];
    const reserve = store.reserve.bind(store);
    store.reserve = async (...args) => {
      const wait = await reserve(...args);
      places.push(wait);
      return wait;
    };
    const paymo = createPaymoClient({ baseUrl: fake.url, credential: apiKey, quota: { store } });
    await distinctGets(paymo, 8);
    expect(fake.requests).toHaveLength(8);
    expect(fake.requests.filter((entry) => entry.status === 429)).toEqual([]);
    // One store operation per call: five places now, three a window (5 s + 500 ms) later.
    expect(places).toHaveLength(8);
    expect(places.filter((wait) => wait === 0)).toHaveLength(5);
    for (const wait of places.filter((wait) => wait > 0)) expect(wait).toBeGreaterThan(4_500);
    await store.close();
  }, 20_000);

  it('200 concurrent distinct GETs in line: the limit now, the limit a window later, the rest refused at once', async () => {
    const store = new MemorySessionStore();
    const paymo = createPaymoClient({ baseUrl: fake.url, credential: apiKey, quota: { store, maxWaitMs: 6_000 } });
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, index) =>
        paymo.request('GET', `/users?where=${encodeURIComponent(`id>${index}`)}`).then(
          () => ({ outcome: 'ok', after: Date.now() - started }),
          (error: unknown) => ({ outcome: isPaymoAuthError(error) ? error.code : String(error), after: Date.now() - started }),
        ),
      ),
    );
    const sent = answers.filter((answer) => answer.outcome === 'ok');
    const refused = answers.filter((answer) => answer.outcome === 'RATE_LIMITED');
    expect(sent).toHaveLength(10); // 5 places now, 5 a window (5.5 s) later, within the 6 s wait
    expect(refused).toHaveLength(190);
    for (const answer of refused) expect(answer.after).toBeLessThan(2_000); // told at once, not after waiting
    expect(fake.requests).toHaveLength(10);
    expect(fake.requests.filter((entry) => entry.status === 429)).toEqual([]);
    await store.close();
  }, 20_000);

  it('a store without reserve is asked through admit, with the same result', async () => {
    const store = new MemorySessionStore();
    (store as { reserve?: unknown }).reserve = undefined; // as a custom store that has only admit()
    let admits = 0;
    const admit = store.admit.bind(store);
    store.admit = async (...args) => {
      admits++;
      return admit(...args);
    };
    const paymo = createPaymoClient({ baseUrl: fake.url, credential: apiKey, quota: { store } });
    await distinctGets(paymo, 8);
    expect(fake.requests).toHaveLength(8);
    expect(fake.requests.filter((entry) => entry.status === 429)).toEqual([]);
    expect(admits).toBeGreaterThanOrEqual(8);
    await store.close();
  }, 20_000);

  it("a store whose reserve fails: this process's budget stands in, still no 429", async () => {
    const store = new MemorySessionStore();
    store.reserve = () => Promise.reject(new Error('store down'));
    const paymo = createPaymoClient({ baseUrl: fake.url, credential: apiKey, quota: { store } });
    await distinctGets(paymo, 8);
    expect(fake.requests).toHaveLength(8);
    expect(fake.requests.filter((entry) => entry.status === 429)).toEqual([]);
    await store.close();
  }, 20_000);

  it("a call whose place came while Paymo asked to wait (another call's 429) waits that out before sending", async () => {
    const store = new MemorySessionStore();
    const paymo = createPaymoClient({ baseUrl: fake.url, credential: apiKey, quota: { store } });
    // The engine's kind of client on the same quota: sent at once, it meets the 429 first.
    const engine = createPaymoClient({ baseUrl: fake.url, credential: apiKey, retry: false, quota: { store, priority: true, shareGets: false } });
    await distinctGets(paymo, 5);
    const queued = paymo.request('GET', '/clients'); // no room left now: a place about 5.5 s ahead
    await new Promise((resolve) => setTimeout(resolve, 300));
    fake.faults.inject({ status: 429, retryAfter: 8, times: 1, path: '/api/company' });
    const refused = await engine.request('GET', '/company').then(() => undefined, (caught: unknown) => caught);
    expect(isPaymoAuthError(refused) && refused.code).toBe('RATE_LIMITED');
    await queued;
    const limitedAt = fake.requests.find((entry) => entry.status === 429)!.at;
    const sentAt = fake.requests.find((entry) => entry.path === '/api/clients')!.at;
    // Sent after Paymo's 8 s, not at its place (about 5 s after the 429).
    expect(sentAt - limitedAt).toBeGreaterThanOrEqual(7_500);
    await store.close();
  }, 20_000);

  it("a store with reserve() but no admit(): the engine's own calls are counted in the same window", async () => {
    const store = new MemorySessionStore();
    (store as { admit?: unknown }).admit = undefined; // as a custom store that has only reserve()
    const paymo = createPaymoClient({ baseUrl: fake.url, credential: apiKey, quota: { store, maxWaitMs: 1_000 } });
    const engine = createPaymoClient({ baseUrl: fake.url, credential: apiKey, retry: false, quota: { store, priority: true, shareGets: false } });
    await engine.request('GET', '/company');
    await new Promise((resolve) => setTimeout(resolve, 50)); // the count is not awaited by the engine's call
    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, index) =>
        paymo.request('GET', `/users?where=${encodeURIComponent(`id>${index}`)}`).then(() => 'ok', (error: unknown) => (isPaymoAuthError(error) ? error.code : error)),
      ),
    );
    // Four places left in the window the engine's call is counted in; the fifth is 5.5 s away.
    expect(answers.sort()).toEqual(['RATE_LIMITED', 'ok', 'ok', 'ok', 'ok']);
    expect(fake.requests.filter((entry) => entry.status === 429)).toEqual([]);
    await store.close();
  }, 20_000);

  it('a place beyond quota.maxWaitMs: RATE_LIMITED with retryAfter at once, and no place is kept', async () => {
    const store = new MemorySessionStore();
    const paymo = createPaymoClient({ baseUrl: fake.url, credential: apiKey, quota: { store, maxWaitMs: 1_000 } });
    await distinctGets(paymo, 5); // the window is full for the next 5.5 s
    const started = Date.now();
    const error = await paymo.request('GET', '/clients').then(() => undefined, (caught: unknown) => caught);
    expect(isPaymoAuthError(error) && error.code).toBe('RATE_LIMITED');
    expect(isPaymoAuthError(error) && error.retryAfter).toBeGreaterThanOrEqual(1);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(fake.requests).toHaveLength(5);
    await store.close();
  }, 20_000);
});
