import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { demoAccounts } from '@paymo/fake-api';
import { MemorySessionStore } from '@paymo/auth-core';
import {
  expressVersions, isClearing, paymoStatusWithToken, sessionCookie, setCookies, startStack, switchableStore, type Stack,
} from './harness.js';

const { admin } = demoAccounts;
const minute = 60_000;

async function signIn(stack: Stack): Promise<string> {
  const res = await request(stack.server).post('/auth/sign-in').send({ email: admin.email, password: admin.password }).expect(200);
  return sessionCookie(res.headers['set-cookie']);
}

function liveTokens(stack: Stack): string[] {
  return stack.fake.sessions.list(admin.id).map((session) => session.id);
}

describe.each(expressVersions)('session lifecycle on %s', (_name, lib) => {
  let stack: Stack;
  afterEach(() => stack?.close());

  it('sign-out ends the Paymo session, the local one, and clears the cookie', async () => {
    stack = await startStack(lib);
    const cookie = await signIn(stack);
    const [token] = liveTokens(stack);
    expect(await paymoStatusWithToken(stack.fake, token!)).toBe(200);

    const res = await request(stack.server).post('/auth/sign-out').set('Cookie', cookie).send({}).expect(200);
    expect(res.body).toEqual({ ok: true });
    expect(setCookies(res.headers).some(isClearing)).toBe(true);
    expect(await paymoStatusWithToken(stack.fake, token!)).toBe(401);
    await request(stack.server).get('/api/me').set('Cookie', cookie).expect(401);
    const again = await request(stack.server).post('/auth/sign-out').set('Cookie', cookie).send({}).expect(200);
    expect(again.body).toEqual({ ok: true });
    await request(stack.server).post('/auth/sign-out').send({}).expect(200);
  });

  it('lists sessions by opaque handle and signs out everywhere', async () => {
    stack = await startStack(lib);
    const laptop = await signIn(stack);
    const phone = await signIn(stack);
    stack.fake.sessions.create(admin.id); // a session opened elsewhere, e.g. in Paymo's own app
    const tokens = liveTokens(stack);
    expect(tokens).toHaveLength(3);

    const list = await request(stack.server).get('/auth/sessions').set('Cookie', laptop).expect(200);
    expect(list.body.sessions).toHaveLength(3);
    expect(list.body.sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    for (const token of tokens) expect(JSON.stringify(list.body)).not.toContain(token);

    const res = await request(stack.server).post('/auth/sign-out-everywhere').set('Cookie', laptop).send({}).expect(200);
    expect(res.body).toEqual({ ok: true, revoked: 3 });
    for (const token of tokens) expect(await paymoStatusWithToken(stack.fake, token)).toBe(401);
    await request(stack.server).get('/api/me').set('Cookie', laptop).expect(401);
    await request(stack.server).get('/api/me').set('Cookie', phone).expect(401);
  });

  it("ends the session when Paymo's session expires (by the fake's clock): 401 SESSION_EXPIRED, cookie cleared", async () => {
    stack = await startStack(lib, {
      fake: { sessionLifetimeMs: 60 * minute },
      auth: (fake) => ({ now: () => fake.clock.now(), session: { revalidateAfterMs: 24 * 60 * minute } }),
    });
    const cookie = await signIn(stack);
    stack.fake.clock.advance(59 * minute);
    await request(stack.server).get('/api/me').set('Cookie', cookie).expect(200);
    stack.fake.clock.advance(2 * minute);
    const res = await request(stack.server).get('/api/me').set('Cookie', cookie).expect(401);
    expect(res.body.error.code).toBe('SESSION_EXPIRED');
    // supertest sends no Sec-Fetch-Site, so the client counts as an API client: Basic is offered too.
    expect(res.headers['www-authenticate']).toBe('Session realm="Paymo", Basic realm="Paymo", charset="UTF-8"');
    expect(setCookies(res.headers).some((line) => line.startsWith('paymo.sid=') && isClearing(line))).toBe(true);
    const session = await request(stack.server).get('/auth/session').set('Cookie', cookie).expect(200);
    expect(session.body.session).toBeNull();
  });

  it('ends an idle session after the idle timeout', async () => {
    stack = await startStack(lib, { auth: (fake) => ({ now: () => fake.clock.now(), session: { idleTimeoutMs: 10 * minute } }) });
    const cookie = await signIn(stack);
    stack.fake.clock.advance(11 * minute);
    const res = await request(stack.server).get('/api/me').set('Cookie', cookie).expect(401);
    expect(res.body.error.code).toBe('SESSION_EXPIRED');
  });

  it('notices a session ended in Paymo within the revalidation bound, and clears the cookie', async () => {
    stack = await startStack(lib, { auth: (fake) => ({ now: () => fake.clock.now(), session: { revalidateAfterMs: 5_000 } }) });
    const cookie = await signIn(stack);
    stack.fake.sessions.revoke(liveTokens(stack)[0]!);
    stack.fake.resetRequests();
    stack.fake.clock.advance(1_000);
    await request(stack.server).get('/api/me').set('Cookie', cookie).expect(200); // inside the bound: no upstream call
    expect(stack.fake.requests).toHaveLength(0);

    stack.fake.clock.advance(5_000);
    const res = await request(stack.server).get('/api/me').set('Cookie', cookie).expect(401);
    expect(res.body.error.code).toBe('SESSION_REVOKED');
    expect(setCookies(res.headers).some((line) => line.startsWith('paymo.sid=') && isClearing(line))).toBe(true);
    expect(stack.fake.requests).toHaveLength(1);
    await request(stack.server).get('/api/me').set('Cookie', cookie).expect(401);
  });

  it('re-checks a session once for concurrent requests after the bound', async () => {
    stack = await startStack(lib, { auth: (fake) => ({ now: () => fake.clock.now(), session: { revalidateAfterMs: 5_000 } }) });
    const cookie = await signIn(stack);
    stack.fake.resetRequests();
    stack.fake.clock.advance(6_000);
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => request(stack.server).get('/api/me').set('Cookie', cookie)));
    expect(answers.map((res) => res.status)).toEqual([200, 200, 200, 200, 200]);
    expect(stack.fake.requests).toHaveLength(1);
  });

  it('keeps the session through Paymo 5xx and 429: 503/429 with Retry-After', async () => {
    stack = await startStack(lib, { auth: (fake) => ({ now: () => fake.clock.now(), session: { revalidateAfterMs: 5_000, revalidateGraceMs: 0 /* no degraded grace: these tests check the fail-closed answer */ } }) });
    const cookie = await signIn(stack);
    stack.fake.clock.advance(6_000);

    stack.fake.faults.inject({ status: 503, times: 20 });
    const down = await request(stack.server).get('/api/me').set('Cookie', cookie).expect(503);
    expect(down.body.error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(Number(down.headers['retry-after'])).toBeGreaterThan(0);
    expect(setCookies(down.headers).some(isClearing)).toBe(false);
    stack.fake.faults.clear();
    stack.fake.clock.advance(Number(down.headers['retry-after']) * 1000 + 1_000); // the engine waits that long before asking again

    stack.fake.rateLimit.exhaust(admin.id);
    const limited = await request(stack.server).get('/api/me').set('Cookie', cookie).expect(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(setCookies(limited.headers).some(isClearing)).toBe(false);
    stack.fake.rateLimit.reset();
    stack.fake.clock.advance(Number(limited.headers['retry-after']) * 1000 + 1_000);

    await request(stack.server).get('/api/me').set('Cookie', cookie).expect(200);
  });

  it("maps Paymo failures of the user's own calls and of sign-in to 503/429 with Retry-After", async () => {
    stack = await startStack(lib);
    const cookie = await signIn(stack);
    stack.fake.faults.inject({ status: 500, times: 20, path: '/api/clients' });
    const clients = await request(stack.server).get('/api/clients').set('Cookie', cookie).expect(503);
    expect(clients.body.error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(clients.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    stack.fake.faults.clear();
    const ok = await request(stack.server).get('/api/clients').set('Cookie', cookie).expect(200);
    expect(Array.isArray(ok.body.clients)).toBe(true);

    stack.fake.faults.inject({ status: 502, times: 5, method: 'POST', path: '/api/sessions' });
    const signInDown = await request(stack.server).post('/auth/sign-in').send({ apiKey: admin.apiKey }).expect(503);
    expect(signInDown.body.error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(signInDown.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    stack.fake.faults.clear();

    stack.fake.rateLimit.exhaust();
    const signInLimited = await request(stack.server).post('/auth/sign-in').send({ apiKey: admin.apiKey }).expect(429);
    expect(signInLimited.body.error.code).toBe('RATE_LIMITED');
    expect(Number(signInLimited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('fails closed with 503 STORE_UNAVAILABLE when the store is down, and recovers', async () => {
    const { store, setDown } = switchableStore(new MemorySessionStore());
    stack = await startStack(lib, { auth: { store } });
    const cookie = await signIn(stack);
    setDown(true);
    const me = await request(stack.server).get('/api/me').set('Cookie', cookie).expect(503);
    expect(me.body.error.code).toBe('STORE_UNAVAILABLE');
    expect(me.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    // A route open to everyone does not serve a signed-in user as anonymous (DESIGN §4: fail closed)...
    const pub = await request(stack.server).get('/public').set('Cookie', cookie).expect(503);
    expect(pub.body).toEqual({ error: { code: 'STORE_UNAVAILABLE', message: expect.any(String) } });
    expect(pub.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    // ...while a request without any credential is still anonymous, without touching the store.
    const anonymous = await request(stack.server).get('/public').expect(200);
    expect(anonymous.body).toEqual({ authenticated: false, code: 'MISSING_CREDENTIALS' });
    const signInDown = await request(stack.server).post('/auth/sign-in').send({ apiKey: admin.apiKey }).expect(503);
    expect(signInDown.body.error.code).toBe('STORE_UNAVAILABLE');
    const session = await request(stack.server).get('/auth/session').set('Cookie', cookie);
    expect(session.status).toBe(503);
    setDown(false);
    await request(stack.server).get('/api/me').set('Cookie', cookie).expect(200);
    await request(stack.server).get('/public').set('Cookie', cookie).expect(200);
  });

  it('answers an open route 503/429 when Paymo cannot check a pass-through credential, not anonymous', async () => {
    stack = await startStack(lib);
    const token = stack.fake.sessions.create(admin.id).id;
    stack.fake.faults.inject({ status: 503, times: 20 });
    const down = await request(stack.server).get('/public').set('X-Session', token).expect(503);
    expect(down.body.error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(down.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    stack.fake.faults.clear();
    // A wrong credential is a 4xx verdict: the open route still serves it as anonymous.
    const wrong = await request(stack.server).get('/public').set('X-Session', 'f'.repeat(32)).expect(200);
    expect(wrong.body).toMatchObject({ authenticated: false });
  });

  it("onUnavailable: 'anonymous' keeps the old behaviour: open routes see the failure in req.paymo", async () => {
    const { store, setDown } = switchableStore(new MemorySessionStore());
    stack = await startStack(lib, { auth: { store }, onUnavailable: 'anonymous' });
    const cookie = await signIn(stack);
    setDown(true);
    const pub = await request(stack.server).get('/public').set('Cookie', cookie).expect(200);
    expect(pub.body).toEqual({ authenticated: false, code: 'STORE_UNAVAILABLE' });
    await request(stack.server).get('/api/me').set('Cookie', cookie).expect(503);
  });
});
