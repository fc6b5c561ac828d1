import { afterEach, describe, expect, it } from 'vitest';
import { admin, createHarness, demoAccounts, type Harness } from './engineHarness.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

let h: Harness;
afterEach(async () => {
  h.assertNoSecrets();
  await h.close();
});

const json = { 'content-type': 'application/json' };

function expectCleared(setCookies: string[], name = 'paymo.sid') {
  expect(setCookies).toHaveLength(1);
  expect(setCookies[0]).toMatch(new RegExp(`^${name.replace('.', '\\.')}=; Max-Age=0;`));
}

describe('GET /auth/session', () => {
  it('answers {session} for a signed-in cookie and {session:null} without one', async () => {
    h = await createHarness();
    const { cookie, json: signedIn } = await h.signIn(admin);
    const current = await h.send('/auth/session', { cookie });
    expect(current.status).toBe(200);
    expect(current.headers.get('cache-control')).toBe('no-store');
    expect(current.json).toEqual({ session: signedIn.session });
    const anonymous = await h.send('/auth/session');
    expect(anonymous.json).toEqual({ session: null });
    expect(anonymous.setCookies).toEqual([]);
  });

  it('answers {session:null} and clears the cookie for an unknown or malformed cookie', async () => {
    h = await createHarness();
    const unknown = await h.send('/auth/session', { cookie: `paymo.sid=${'A'.repeat(43)}` });
    // No reason: a cookie naming no record may have been signed out, expired or revoked long ago.
    expect(unknown.json).toEqual({ session: null });
    expectCleared(unknown.setCookies);
    const malformed = await h.send('/auth/session', { cookie: 'paymo.sid=../../etc/passwd' });
    expect(malformed.json).toEqual({ session: null });
    expectCleared(malformed.setCookies);
  });
});

describe('POST /auth/sign-out', () => {
  it('ends the Paymo session (the fake refuses the token afterwards), deletes the record, clears the cookie', async () => {
    h = await createHarness();
    const { cookie } = await h.signIn(admin);
    const [token] = h.tokensOf(1);
    const result = await h.send('/auth/sign-out', { method: 'POST', cookie, headers: json });
    expect(result.status).toBe(200);
    expect(result.json).toEqual({ ok: true });
    expectCleared(result.setCookies);
    expect(h.fake.countRequests({ method: 'DELETE', path: `/api/sessions/${token}` })).toBe(1);
    expect(h.tokensOf(1)).toEqual([]);
    const refused = await fetch(`${h.fake.url}/me`, { headers: { 'X-Session': token! } });
    expect(refused.status).toBe(401);
    expect(await h.store.inner.listIndex('user:1')).toEqual([]);
    expect((await h.authenticate({ cookie })).authenticated).toBe(false);
  });

  it('answers {ok:true} when already signed out, and when the cookie is unknown', async () => {
    h = await createHarness();
    expect((await h.send('/auth/sign-out', { method: 'POST', headers: json })).json).toEqual({ ok: true });
    const unknown = await h.send('/auth/sign-out', { method: 'POST', headers: json, cookie: `paymo.sid=${'B'.repeat(43)}` });
    expect(unknown.json).toEqual({ ok: true });
    expectCleared(unknown.setCookies);
    expect(h.fake.countRequests()).toBe(0);
  });

  it('still ends the local session when Paymo fails to delete, and logs it', async () => {
    h = await createHarness();
    const { cookie } = await h.signIn(admin);
    h.fake.faults.inject({ status: 503, method: 'DELETE' });
    const result = await h.send('/auth/sign-out', { method: 'POST', cookie, headers: json });
    expect(result.status).toBe(200);
    expectCleared(result.setCookies);
    expect((await h.authenticate({ cookie })).authenticated).toBe(false);
    expect(h.logs.some((event) => event.level === 'warn' && /end the Paymo session/.test(event.message))).toBe(true);
  });
});

describe('GET /auth/sessions', () => {
  it('lists the user\'s Paymo sessions with opaque handles, never their ids', async () => {
    h = await createHarness();
    await h.signIn(admin);
    await h.signIn(admin);
    const { cookie } = await h.signIn(admin);
    const result = await h.send('/auth/sessions', { cookie });
    expect(result.status).toBe(200);
    const sessions = result.json.sessions as Array<Record<string, unknown>>;
    expect(sessions).toHaveLength(3);
    for (const session of sessions) {
      expect(Object.keys(session).sort()).toEqual(['createdAt', 'current', 'expiresAt', 'handle', 'ip']);
      expect(session.handle).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(Date.parse(session.expiresAt as string)).toBeGreaterThan(Date.parse(session.createdAt as string));
    }
    expect(sessions.filter((session) => session.current)).toHaveLength(1);
    expect(new Set(sessions.map((session) => session.handle)).size).toBe(3);
    const text = JSON.stringify(result.json);
    for (const token of h.tokensOf(1)) expect(text).not.toContain(token);
  });

  it('answers 401 with WWW-Authenticate when signed out', async () => {
    h = await createHarness();
    const result = await h.send('/auth/sessions');
    expect(result.status).toBe(401);
    expect(result.json.error.code).toBe('MISSING_CREDENTIALS');
    expect(result.headers.get('www-authenticate')).toMatch(/Session realm="Paymo"/);
  });
});

describe('POST /auth/sign-out-everywhere', () => {
  it('ends every Paymo session of the user and every local one, and reports how many', async () => {
    h = await createHarness();
    const first = await h.signIn(admin);
    const second = await h.signIn(admin);
    const third = await h.signIn(admin);
    h.fake.sessions.create(1); // a session made elsewhere (another app, Paymo's own UI)
    const dwight = await h.signIn({ email: demoAccounts.employee.email, password: demoAccounts.employee.password });
    expect(h.tokensOf(1)).toHaveLength(4);

    const result = await h.send('/auth/sign-out-everywhere', { method: 'POST', cookie: second.cookie, headers: json });
    expect(result.status).toBe(200);
    expect(result.json).toEqual({ ok: true, revoked: 4 });
    expectCleared(result.setCookies);
    expect(h.tokensOf(1)).toEqual([]);
    for (const { cookie } of [first, second, third]) expect((await h.authenticate({ cookie })).authenticated).toBe(false);
    // Another user is untouched.
    expect((await h.authenticate({ cookie: dwight.cookie })).authenticated).toBe(true);
    expect(h.tokensOf(demoAccounts.employee.id)).toHaveLength(1);
  });

  it('says so (429, Retry-After, remaining) when Paymo rate-limits midway; local sessions still end', async () => {
    h = await createHarness();
    const first = await h.signIn(admin);
    const second = await h.signIn(admin);
    h.fake.faults.inject({ status: 429, retryAfter: 30, times: 10, method: 'DELETE', path: /^\/api\/sessions\// });
    h.fake.resetRequests();
    const result = await h.send('/auth/sign-out-everywhere', { method: 'POST', cookie: second.cookie, headers: json });
    expect(result.status).toBe(429);
    expect(result.headers.get('retry-after')).toBe('30');
    expect(result.json).toMatchObject({ error: { code: 'RATE_LIMITED' }, revoked: 0, remaining: 2 });
    expectCleared(result.setCookies);
    // It stopped at the first 429 instead of hammering Paymo, which answers 429 until its window ends.
    expect(h.fake.countRequests({ method: 'DELETE' })).toBe(1);
    expect(h.tokensOf(1)).toHaveLength(2);
    for (const { cookie } of [first, second]) expect((await h.authenticate({ cookie })).authenticated).toBe(false);
  });

  it('changes nothing when Paymo cannot list the sessions (503 with Retry-After)', async () => {
    h = await createHarness();
    const { cookie } = await h.signIn(admin);
    h.fake.faults.inject({ status: 500, times: 1, method: 'GET', path: '/api/sessions' });
    const result = await h.send('/auth/sign-out-everywhere', { method: 'POST', cookie, headers: json });
    expect(result.status).toBe(503);
    expect(result.headers.get('retry-after')).not.toBeNull();
    expect((await h.authenticate({ cookie })).authenticated).toBe(true);
  });
});

describe('idle timeout and activity', () => {
  it('keeps an active user signed in even when the idle timeout is shorter than the touch interval', async () => {
    h = await createHarness({ session: { idleTimeoutMs: 30_000, touchIntervalMs: MINUTE, revalidateAfterMs: HOUR } });
    const { cookie } = await h.signIn(admin);
    for (let i = 0; i < 9; i++) {
      h.advance(10_000);
      expect((await h.authenticate({ cookie })).authenticated).toBe(true);
    }
  });

  it('does not count GET /session as activity, so an open tab alone reaches the idle timeout', async () => {
    h = await createHarness({ session: { idleTimeoutMs: 10 * MINUTE, touchIntervalMs: MINUTE, revalidateAfterMs: HOUR } });
    const idle = await h.signIn(admin);
    const active = await h.signIn({ email: demoAccounts.employee.email, password: demoAccounts.employee.password });
    h.advance(6 * MINUTE);
    expect((await h.send('/auth/session', { cookie: idle.cookie })).json.session).not.toBeNull();
    expect((await h.authenticate({ cookie: active.cookie })).authenticated).toBe(true);
    h.advance(5 * MINUTE);
    expect((await h.send('/auth/session', { cookie: idle.cookie })).json.session).toBeNull();
    expect((await h.authenticate({ cookie: active.cookie })).authenticated).toBe(true);
  });
});

describe('expiry', () => {
  it('ends the session at Paymo\'s expiry: 401 SESSION_EXPIRED, cookie cleared, record deleted', async () => {
    h = await createHarness({ session: { maxAgeMs: 60 * DAY, idleTimeoutMs: 60 * DAY, revalidateAfterMs: 60 * DAY } });
    const { cookie, json: signedIn } = await h.signIn(admin);
    expect(Date.parse(signedIn.session.expiresAt) - h.fake.clock.now()).toBeGreaterThan(30 * DAY);
    h.advance(30 * DAY);
    expect((await h.authenticate({ cookie })).authenticated).toBe(true);
    h.advance(1 * DAY + MINUTE);
    h.fake.resetRequests();
    const state = await h.authenticate({ cookie });
    expect(state.authenticated).toBe(false);
    if (state.authenticated) return;
    expect(state.error.code).toBe('SESSION_EXPIRED');
    expect(state.error.status).toBe(401);
    expectCleared(state.setCookies);
    expect(h.fake.countRequests()).toBe(0);
    expect(await h.store.inner.listIndex('user:1')).toEqual([]);
    // As an HTTP answer: 401 + WWW-Authenticate; GET /session says null and clears the cookie.
    const response = h.auth.errorResponse(state.error);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Session realm="Paymo"');
    const session = await h.send('/auth/session', { cookie });
    expect(session.json).toEqual({ session: null });
    expectCleared(session.setCookies);
  });

  it('ends a session unused for idleTimeoutMs, and keeps one that is used', async () => {
    h = await createHarness({ session: { idleTimeoutMs: HOUR, touchIntervalMs: MINUTE, revalidateAfterMs: DAY } });
    const active = await h.signIn(admin);
    const idle = await h.signIn(admin);
    for (let i = 0; i < 5; i++) {
      h.advance(40 * MINUTE);
      expect((await h.authenticate({ cookie: active.cookie })).authenticated).toBe(true);
    }
    const state = await h.authenticate({ cookie: idle.cookie });
    expect(state.authenticated).toBe(false);
    if (!state.authenticated) expect(state.error.code).toBe('SESSION_EXPIRED');
  });

  it('ends a session at maxAgeMs however active it is', async () => {
    h = await createHarness({ session: { maxAgeMs: 2 * HOUR, idleTimeoutMs: DAY, revalidateAfterMs: DAY } });
    const { cookie, json: signedIn, setCookies } = await h.signIn(admin);
    expect(Date.parse(signedIn.session.expiresAt) - h.fake.clock.now()).toBeLessThanOrEqual(2 * HOUR);
    expect(setCookies[0]).toContain('Max-Age=7200');
    for (let i = 0; i < 3; i++) {
      h.advance(30 * MINUTE);
      expect((await h.authenticate({ cookie })).authenticated).toBe(true);
    }
    h.advance(31 * MINUTE);
    const state = await h.authenticate({ cookie });
    expect(state.authenticated).toBe(false);
    if (!state.authenticated) expect(state.error.code).toBe('SESSION_EXPIRED');
  });

  it('enforces expiry itself, even when the store still holds the record', async () => {
    h = await createHarness({ session: { idleTimeoutMs: HOUR, revalidateAfterMs: DAY } });
    const { cookie } = await h.signIn(admin);
    // Put the record back with a long TTL, as a store with a lagging clock would still hold it.
    const write = h.store.writes.find((entry) => entry.key.startsWith('sess:'))!;
    h.advance(2 * HOUR);
    await h.store.inner.set(write.key, write.value, DAY);
    const state = await h.authenticate({ cookie });
    expect(state.authenticated).toBe(false);
    expect(await h.store.inner.get(write.key)).toBeNull();
  });

  it('writes "last seen" at most once per touchIntervalMs, not per request', async () => {
    h = await createHarness({ session: { touchIntervalMs: MINUTE, revalidateAfterMs: DAY } });
    const { cookie } = await h.signIn(admin);
    const writesAfterSignIn = h.store.writes.length;
    for (let i = 0; i < 20; i++) await h.authenticate({ cookie });
    expect(h.store.writes.length).toBe(writesAfterSignIn);
    h.advance(MINUTE);
    for (let i = 0; i < 20; i++) await h.authenticate({ cookie });
    expect(h.store.writes.length).toBe(writesAfterSignIn + 1);
  });
});
