import { afterEach, describe, expect, it } from 'vitest';
import { admin, createHarness, demoAccounts, type Harness } from './engineHarness.js';
import { encodeBasic } from './encodeBasic.js';

const SECOND = 1_000;

let h: Harness;
afterEach(async () => {
  h.assertNoSecrets();
  await h.close();
});

describe('pass-through credentials', () => {
  it('X-Session: validated with one GET /me per cache period, whatever the number of requests', async () => {
    h = await createHarness({ passThroughCacheMs: 30 * SECOND });
    const token = h.fake.sessions.create(demoAccounts.employee.id).id;
    h.fake.resetRequests();
    const states = await Promise.all(Array.from({ length: 10 }, () => h.authenticate({ headers: { 'x-session': token } })));
    for (let i = 0; i < 10; i++) states.push(await h.authenticate({ headers: { 'x-session': token } }));
    for (const state of states) {
      expect(state.authenticated).toBe(true);
      if (!state.authenticated) continue;
      expect(state.strategy).toBe('session-header');
      expect(state.user).toEqual(expect.objectContaining({ id: 2, name: 'Dwight Schrute' }));
    }
    expect(h.fake.countRequests({ method: 'GET', path: '/api/me' })).toBe(1);
    h.advance(30 * SECOND);
    expect((await h.authenticate({ headers: { 'x-session': token } })).authenticated).toBe(true);
    expect(h.fake.countRequests({ method: 'GET', path: '/api/me' })).toBe(2);
    // The verdict in the store holds the public user, not the token.
    const verdict = h.store.writes.find((write) => write.key.startsWith('verdict:'))!;
    expect(verdict.value).not.toContain(token);
    expect(JSON.parse(verdict.value)).toMatchObject({ ok: true, user: { id: 2 } });
  });

  it('the client of a pass-through state acts with the caller\'s own credential', async () => {
    h = await createHarness();
    const token = h.fake.sessions.create(demoAccounts.guest.id).id;
    const state = await h.authenticate({ headers: { 'x-session': token } });
    if (!state.authenticated) throw new Error(state.error.message);
    h.fake.resetRequests();
    expect((await state.client.me()).name).toBe('Jan Levinson');
    expect(h.fake.requests[0]).toMatchObject({ auth: 'session', userId: demoAccounts.guest.id });
  });

  it('Basic email:password and apiKey:anything: one upstream call per credential per period', async () => {
    h = await createHarness();
    const password = encodeBasic(admin.email, admin.password);
    for (let i = 0; i < 5; i++) {
      const state = await h.authenticate({ headers: { authorization: password } });
      expect(state.authenticated && state.strategy).toBe('basic');
    }
    const key = demoAccounts.employee.apiKey;
    for (const anything of ['x', 'y', 'SOME_RANDOM_TEXT']) {
      const state = await h.authenticate({ headers: { authorization: encodeBasic(key, anything) } });
      expect(state.authenticated && state.strategy).toBe('api-key');
      expect(state.authenticated && state.user.id).toBe(2);
    }
    expect(h.fake.countRequests({ path: '/api/me' })).toBe(2);
    // The Basic verdict key is keyed (HMAC), not a plain hash anyone could brute-force offline.
    expect(h.store.writes.some((write) => write.key.startsWith('verdict:basic:'))).toBe(true);
  });

  it('wrong credentials: 401 INVALID_CREDENTIALS, cached for a shorter time', async () => {
    h = await createHarness({ passThroughCacheMs: 30 * SECOND });
    const wrong = encodeBasic(admin.email, 'guess-1');
    for (let i = 0; i < 3; i++) {
      const state = await h.authenticate({ headers: { authorization: wrong } });
      expect(!state.authenticated && state.error.code).toBe('INVALID_CREDENTIALS');
    }
    expect(h.fake.countRequests({ path: '/api/me' })).toBe(1);
    h.advance(5 * SECOND);
    await h.authenticate({ headers: { authorization: wrong } });
    expect(h.fake.countRequests({ path: '/api/me' })).toBe(2);
    const state = await h.authenticate({ headers: { 'x-session': 'f'.repeat(32) } });
    expect(!state.authenticated && state.error.status).toBe(401);
    const response = h.auth.errorResponse(!state.authenticated ? state.error : null, {
      method: 'GET',
      url: 'http://app.test/x',
      headers: new Headers({ 'x-session': 'f'.repeat(32) }),
    });
    // Non-browser clients are told both schemes.
    expect(response.headers.get('www-authenticate')).toBe('Session realm="Paymo", Basic realm="Paymo", charset="UTF-8"');
    h.assertNoSecrets(['guess-1']);
  });

  it('does not offer Basic to browsers (it would open the native login dialog)', async () => {
    h = await createHarness();
    const state = await h.authenticate({});
    const browser = h.auth.errorResponse(!state.authenticated ? state.error : null, {
      method: 'GET',
      url: 'http://app.test/x',
      headers: new Headers({ 'sec-fetch-site': 'same-origin' }),
    });
    expect(browser.status).toBe(401);
    expect(browser.headers.get('www-authenticate')).toBe('Session realm="Paymo"');
  });

  it('password guessing through Basic is blocked after the per-account limit, without calling Paymo', async () => {
    h = await createHarness({ signInRateLimit: { perAccount: 3, perIp: 100, windowMs: 60 * SECOND } });
    for (let i = 0; i < 3; i++) {
      const state = await h.authenticate({ headers: { authorization: encodeBasic(admin.email, `guess-${i}`) } });
      expect(!state.authenticated && state.error.code).toBe('INVALID_CREDENTIALS');
    }
    h.fake.resetRequests();
    const blocked = await h.authenticate({ headers: { authorization: encodeBasic(admin.email, 'guess-3') } });
    expect(!blocked.authenticated && blocked.error.code).toBe('RATE_LIMITED');
    expect(!blocked.authenticated && blocked.error.retryAfter).toBeGreaterThan(0);
    expect(h.fake.countRequests()).toBe(0);
    // A verdict already cached still answers; another account is not blocked.
    const dwight = await h.authenticate({ headers: { authorization: encodeBasic(demoAccounts.employee.email, demoAccounts.employee.password) } });
    expect(dwight.authenticated).toBe(true);
    h.assertNoSecrets(['guess-0', 'guess-1', 'guess-2', 'guess-3']);
  });

  it('429 / 5xx from Paymo are not cached: typed 429 / 503 now, success later', async () => {
    h = await createHarness();
    const token = h.fake.sessions.create(1).id;
    h.fake.faults.inject({ status: 429, retryAfter: 3, times: 1, path: '/api/me' });
    const limited = await h.authenticate({ headers: { 'x-session': token } });
    expect(!limited.authenticated && limited.error.code).toBe('RATE_LIMITED');
    expect(!limited.authenticated && limited.error.retryAfter).toBe(3);
    h.advance(3 * SECOND);
    h.fake.faults.inject({ status: 503, times: 1, path: '/api/me' });
    const down = await h.authenticate({ headers: { 'x-session': token } });
    expect(!down.authenticated && down.error.code).toBe('UPSTREAM_UNAVAILABLE');
    h.advance(10 * SECOND);
    expect((await h.authenticate({ headers: { 'x-session': token } })).authenticated).toBe(true);
  });

  it('strategy order: the cookie decides when present; strategies can be disabled', async () => {
    h = await createHarness({ strategies: { basic: false } });
    const { cookie } = await h.signIn(admin);
    const token = h.fake.sessions.create(demoAccounts.employee.id).id;
    const both = await h.authenticate({ cookie, headers: { 'x-session': token } });
    expect(both.authenticated && both.strategy).toBe('cookie');
    expect(both.authenticated && both.user.id).toBe(1);
    h.fake.resetRequests();
    const basic = await h.authenticate({ headers: { authorization: encodeBasic(admin.email, admin.password) } });
    expect(!basic.authenticated && basic.error.code).toBe('MISSING_CREDENTIALS');
    expect(h.fake.countRequests()).toBe(0);
  });

  it('no credentials: MISSING_CREDENTIALS with no I/O at all', async () => {
    h = await createHarness();
    const calls = h.store.calls;
    const state = await h.authenticate({ headers: { cookie: 'theme=dark; other=1', authorization: 'Bearer abc' } });
    expect(!state.authenticated && state.error.code).toBe('MISSING_CREDENTIALS');
    expect(!state.authenticated && state.setCookies).toEqual([]);
    expect(h.store.calls).toBe(calls);
    expect(h.fake.countRequests()).toBe(0);
  });

  it('sign-out-everywhere also drops cached verdicts of the user', async () => {
    h = await createHarness();
    const token = h.fake.sessions.create(1).id;
    expect((await h.authenticate({ headers: { 'x-session': token } })).authenticated).toBe(true);
    const { cookie } = await h.signIn(admin);
    const result = await h.send('/auth/sign-out-everywhere', { method: 'POST', cookie, headers: { 'content-type': 'application/json' } });
    expect(result.json).toEqual({ ok: true, revoked: 2 });
    const state = await h.authenticate({ headers: { 'x-session': token } });
    expect(!state.authenticated && state.error.code).toBe('INVALID_CREDENTIALS');
  });
});
