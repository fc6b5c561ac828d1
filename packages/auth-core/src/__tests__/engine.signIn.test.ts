import { afterEach, describe, expect, it } from 'vitest';
import { admin, createHarness, demoAccounts, type Harness } from './engineHarness.js';

let h: Harness;
afterEach(async () => {
  h.assertNoSecrets();
  await h.close();
});

describe('POST /auth/sign-in', () => {
  it('signs in with email and password: 200 {session} with public data only, and an HttpOnly cookie', async () => {
    h = await createHarness();
    const result = await h.signIn(admin);
    expect(result.status).toBe(200);
    expect(result.headers.get('cache-control')).toBe('no-store');
    expect(result.json.session.user).toEqual({
      id: 1,
      name: 'Michael Scott',
      email: 'michael@dundermifflin.com',
      type: 'Admin',
      timezone: 'US/Eastern',
      image: expect.any(String),
    });
    expect(result.json.session.strategy).toBe('cookie');
    expect(Date.parse(result.json.session.expiresAt)).toBeGreaterThan(h.fake.clock.now());
    expect(result.cookieValue).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The cookie authenticates without any further upstream call.
    h.fake.resetRequests();
    const state = await h.authenticate({ cookie: result.cookie });
    expect(state.authenticated && state.user.id).toBe(1);
    expect(h.fake.countRequests()).toBe(0);
    // And its client acts as the user with the Paymo token.
    if (!state.authenticated) throw new Error('unreachable');
    expect((await state.client.me()).email).toBe(admin.email);
  });

  it('signs in with an API key', async () => {
    h = await createHarness();
    const result = await h.signIn({ apiKey: demoAccounts.employee.apiKey });
    expect(result.status).toBe(200);
    expect(result.json.session.user.name).toBe('Dwight Schrute');
    expect(h.fake.countRequests({ method: 'POST', path: '/api/sessions' })).toBe(1);
    expect(h.fake.requests.find((entry) => entry.method === 'POST')?.auth).toBe('apiKey');
  });

  it('answers 401 INVALID_CREDENTIALS for a wrong password, with WWW-Authenticate and no cookie', async () => {
    h = await createHarness();
    const result = await h.signIn({ email: admin.email, password: 'not-the-password' });
    expect(result.status).toBe(401);
    expect(result.json.error.code).toBe('INVALID_CREDENTIALS');
    expect(result.headers.get('www-authenticate')).toContain('Session realm="Paymo"');
    expect(result.setCookies).toEqual([]);
    expect(h.store.writes.filter((write) => write.key.startsWith('sess:'))).toEqual([]);
    h.assertNoSecrets(['not-the-password']);
  });

  it('refuses an archived user (401) and leaves no session behind', async () => {
    h = await createHarness();
    const result = await h.signIn({ email: demoAccounts.archived.email, password: demoAccounts.archived.password });
    expect(result.status).toBe(401);
    expect(result.json.error.code).toBe('INVALID_CREDENTIALS');
    expect(h.tokensOf(demoAccounts.archived.id)).toEqual([]);
  });

  it('refuses a user whom GET /me reports archived (active:false), and ends the new Paymo session', async () => {
    // The fake refuses archived users at POST /sessions already; a Paymo that lets the session through
    // and reports active:false afterwards is simulated by rewriting the /me answer in transit.
    const archivedMe: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!String(input).endsWith('/api/me') || response.status !== 200) return response;
      const body = (await response.json()) as { users: Array<Record<string, unknown>> };
      body.users[0]!.active = false;
      return new Response(JSON.stringify(body), { status: 200, headers: response.headers });
    };
    h = await createHarness({ fetch: archivedMe });
    const result = await h.signIn(admin);
    expect(result.status).toBe(401);
    expect(result.json.error.code).toBe('INVALID_CREDENTIALS');
    expect(result.setCookies).toEqual([]);
    // The session is ended in the background: wait for it (bounded), then check it happened once.
    await expect.poll(() => h.tokensOf(1), { timeout: 5_000 }).toEqual([]);
    expect(h.fake.countRequests({ method: 'DELETE' })).toBe(1);
  });

  it('sets a fresh random cookie value at every sign-in, and ends the previous session of that browser', async () => {
    h = await createHarness();
    const first = await h.signIn(admin);
    const second = await h.signIn(admin, { cookie: first.cookie });
    const third = await h.signIn(admin);
    expect(new Set([first.cookieValue, second.cookieValue, third.cookieValue]).size).toBe(3);
    // The cookie the browser had before is over (no fixation, no orphan): locally and in Paymo.
    expect((await h.authenticate({ cookie: first.cookie })).authenticated).toBe(false);
    expect((await h.authenticate({ cookie: second.cookie })).authenticated).toBe(true);
    expect(h.tokensOf(1)).toHaveLength(2);
  });

  it('sets cookie attributes: HttpOnly, SameSite=Lax, Path=/, Max-Age; over HTTPS also Secure and __Host-', async () => {
    h = await createHarness();
    const plain = await h.signIn(admin);
    const [plainCookie] = plain.setCookies;
    expect(plainCookie).toMatch(/^paymo\.sid=[A-Za-z0-9_-]{43}; /);
    expect(plainCookie).toContain('HttpOnly');
    expect(plainCookie).toContain('SameSite=Lax');
    expect(plainCookie).toContain('Path=/');
    expect(plainCookie).not.toContain('Secure');
    expect(plainCookie).not.toContain('Domain');
    // Max-Age: the absolute end (7 days max age < Paymo's 31 days).
    expect(plainCookie).toContain(`Max-Age=${7 * 24 * 3600}`);

    const secure = await h.signIn(admin, { secure: true });
    const [secureCookie] = secure.setCookies;
    expect(secureCookie).toMatch(/^__Host-paymo\.sid=[A-Za-z0-9_-]{43}; /);
    expect(secureCookie).toContain('; Secure');
    // Over HTTPS only the __Host- cookie counts.
    expect((await h.authenticate({ cookie: secure.cookie, secure: true })).authenticated).toBe(true);
    expect((await h.authenticate({ cookie: `paymo.sid=${secure.cookieValue}`, secure: true })).authenticated).toBe(false);
  });

  it('honours cookie options (name, SameSite=Strict)', async () => {
    h = await createHarness({ cookie: { name: 'sid', sameSite: 'strict' } });
    const result = await h.signIn(admin);
    expect(result.setCookies[0]).toMatch(/^sid=.*SameSite=Strict/);
  });

  it('keeps neither the token, the cookie value nor the password in the store', async () => {
    h = await createHarness();
    const result = await h.signIn(admin);
    const [token] = h.tokensOf(1);
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    const dump = h.store.dump();
    expect(dump).toContain('sess:');
    expect(dump).not.toContain(token);
    expect(dump).not.toContain(result.cookieValue);
    expect(dump).not.toContain(admin.password);
    // The session record is keyed by a hash and indexed under the user.
    const sessionWrite = h.store.writes.find((write) => write.key.startsWith('sess:'))!;
    expect(sessionWrite.key).toMatch(/^sess:[A-Za-z0-9_-]{43}$/);
    expect(await h.store.inner.listIndex('user:1')).toEqual([sessionWrite.key]);
    const record = JSON.parse(sessionWrite.value);
    expect(record).toMatchObject({ v: 1, strategy: 'cookie', signedInWith: 'basic', user: { id: 1 } });
    expect(record.token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it('corrects Paymo\'s expiry for clock skew (Paymo\'s clock 2 hours ahead)', async () => {
    const twoHours = 2 * 3600_000;
    // The engine's clock lags Paymo's by two hours.
    h = await createHarness({
      session: { maxAgeMs: 365 * 24 * 3600_000, idleTimeoutMs: 365 * 24 * 3600_000 },
      now: () => Date.now() - twoHours,
    });
    h.fake.clock.set(Date.now());
    const result = await h.signIn(admin);
    const expiresAt = Date.parse(result.json.session.expiresAt);
    const engineNow = Date.now() - twoHours;
    // Paymo's 31 days, on the engine's clock (not 31 days + 2 h).
    expect(Math.abs(expiresAt - (engineNow + 31 * 24 * 3600_000))).toBeLessThan(5_000);
  });

  it('rate-limits per account before any upstream call: 429 with Retry-After', async () => {
    h = await createHarness({ signInRateLimit: { perAccount: 2, perIp: 100, windowMs: 60_000 } });
    for (let i = 0; i < 2; i++) expect((await h.signIn({ email: admin.email, password: `wrong-${i}` })).status).toBe(401);
    h.fake.resetRequests();
    const limited = await h.signIn(admin, { clientIp: '198.51.100.1' });
    expect(limited.status).toBe(429);
    expect(limited.json.error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(h.fake.countRequests()).toBe(0);
    // Another account from the same IP is not affected; the email is compared case-insensitively.
    expect((await h.signIn({ email: 'MICHAEL@dundermifflin.com', password: 'x' })).status).toBe(429);
    expect((await h.signIn({ email: demoAccounts.employee.email, password: demoAccounts.employee.password })).status).toBe(200);
    h.assertNoSecrets(['wrong-0', 'wrong-1']);
  });

  it('rate-limits per IP', async () => {
    h = await createHarness({ signInRateLimit: { perAccount: 100, perIp: 2, windowMs: 60_000 } });
    await h.signIn({ email: admin.email, password: 'wrong-a' }, { clientIp: '198.51.100.9' });
    await h.signIn({ apiKey: 'NotAKeyOfAnyone' }, { clientIp: '198.51.100.9' });
    const limited = await h.signIn(admin, { clientIp: '198.51.100.9' });
    expect(limited.status).toBe(429);
    expect((await h.signIn(admin, { clientIp: '198.51.100.10' })).status).toBe(200);
  });

  it('counts IPv6 clients by their /64, so fresh addresses from one network share the limit', async () => {
    h = await createHarness({ signInRateLimit: { perAccount: 100, perIp: 2, windowMs: 60_000 } });
    await h.signIn({ email: admin.email, password: 'wrong-a' }, { clientIp: '2001:db8:5:6::1' });
    await h.signIn({ email: admin.email, password: 'wrong-b' }, { clientIp: '2001:db8:5:6::2' });
    expect((await h.signIn(admin, { clientIp: '2001:db8:5:6:ffff::9' })).status).toBe(429);
    expect((await h.signIn(admin, { clientIp: '2001:db8:5:7::1' })).status).toBe(200);
  });

  it('does not count attempts that failed because Paymo was down: no lock-out after an outage', async () => {
    h = await createHarness({ signInRateLimit: { perAccount: 2, perIp: 2, windowMs: 60_000 } });
    h.fake.faults.inject({ status: 503, times: 5, method: 'POST', path: '/api/sessions' });
    for (let i = 0; i < 5; i++) expect((await h.signIn(admin, { clientIp: '198.51.100.30' })).status).toBe(503);
    expect((await h.signIn(admin, { clientIp: '198.51.100.30' })).status).toBe(200);
  });

  it('gives successful attempts back: a user who signs in often is never locked out', async () => {
    h = await createHarness({ signInRateLimit: { perAccount: 2, perIp: 2, windowMs: 60_000 } });
    for (let i = 0; i < 5; i++) expect((await h.signIn(admin, { clientIp: "198.51.100.20" })).status).toBe(200);
    // Failures still count, per account and per IP.
    expect((await h.signIn({ email: admin.email, password: 'wrong-1' }, { clientIp: '198.51.100.20' })).status).toBe(401);
    expect((await h.signIn({ email: admin.email, password: 'wrong-2' }, { clientIp: '198.51.100.21' })).status).toBe(401);
    expect((await h.signIn(admin, { clientIp: '198.51.100.22' })).status).toBe(429);
  });

  it('answers 429 / 503 with Retry-After when Paymo rate-limits or fails during sign-in', async () => {
    h = await createHarness();
    h.fake.faults.inject({ status: 429, retryAfter: 7, times: 1, method: 'POST', path: '/api/sessions' });
    const limited = await h.signIn(admin);
    expect(limited.status).toBe(429);
    expect(limited.json.error.code).toBe('RATE_LIMITED');
    expect(limited.headers.get('retry-after')).toBe('7');
    // While Paymo's window lasts, the account's attempts are answered here, without calling Paymo.
    const callsBefore = h.fake.requests.length;
    const held = await h.signIn(admin);
    expect(held.status).toBe(429);
    expect(Number(held.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(h.fake.requests.length).toBe(callsBefore);
    h.advance(7_000);

    h.fake.faults.inject({ status: 502, times: 1, method: 'POST', path: '/api/sessions' });
    const down = await h.signIn(admin);
    expect(down.status).toBe(503);
    expect(down.json.error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(Number(down.headers.get('retry-after'))).toBeGreaterThan(0);

    h.fake.faults.inject({ drop: true, times: 1, method: 'POST', path: '/api/sessions' });
    expect((await h.signIn(admin)).status).toBe(503);

    // GET /me failing after the session was created: 503, and the new Paymo session is ended again.
    h.fake.faults.inject({ status: 500, times: 1, method: 'GET', path: '/api/me' });
    const meDown = await h.signIn(admin);
    expect(meDown.status).toBe(503);
    await expect.poll(() => h.tokensOf(1), { timeout: 5_000 }).toEqual([]);
    expect(h.store.writes.filter((write) => write.key.startsWith('sess:'))).toEqual([]);
  });
});
