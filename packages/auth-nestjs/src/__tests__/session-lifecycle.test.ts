import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { demoAccounts } from '@paymo/fake-api';
import { MemorySessionStore } from '@paymo/auth-core';
import { isClearing, sessionCookie, setCookieLines, startNest, switchableStore, type NestStack } from './harness.js';

const { admin } = demoAccounts;
const minute = 60_000;

async function signIn(stack: NestStack): Promise<string> {
  const res = await request(stack.server).post('/auth/sign-in').send({ email: admin.email, password: admin.password }).expect(200);
  return sessionCookie(res.headers['set-cookie']);
}

describe('session lifecycle through PaymoAuthGuard', () => {
  let stack: NestStack;
  afterEach(() => stack?.close());

  it("ends the session when Paymo's session expires: 401 SESSION_EXPIRED, WWW-Authenticate, cookie cleared", async () => {
    stack = await startNest({
      fake: { sessionLifetimeMs: 60 * minute },
      auth: (fake) => ({ now: () => fake.clock.now(), session: { revalidateAfterMs: 24 * 60 * minute } }),
    });
    const cookie = await signIn(stack);
    stack.fake.clock.advance(59 * minute);
    await request(stack.server).get('/api/me').set('Cookie', cookie).expect(200);
    stack.fake.clock.advance(2 * minute);
    const res = await request(stack.server).get('/api/me').set('Cookie', cookie).expect(401);
    expect(res.body).toEqual({ error: { code: 'SESSION_EXPIRED', message: expect.any(String) } });
    expect(res.headers['www-authenticate']).toBe('Session realm="Paymo", Basic realm="Paymo", charset="UTF-8"'); // an API client (no Sec-Fetch-Site): Basic offered too
    expect(setCookieLines(res.headers['set-cookie']).some((line) => line.startsWith('paymo.sid=') && isClearing(line))).toBe(true);
    expect((await request(stack.server).get('/auth/session').set('Cookie', cookie).expect(200)).body.session).toBeNull();
  });

  it('notices a session ended in Paymo within the revalidation bound: 401 SESSION_REVOKED', async () => {
    stack = await startNest({ auth: (fake) => ({ now: () => fake.clock.now(), session: { revalidateAfterMs: 5_000 } }) });
    const cookie = await signIn(stack);
    stack.fake.sessions.revoke(stack.fake.sessions.list(admin.id)[0]!.id);
    stack.fake.resetRequests();
    stack.fake.clock.advance(1_000);
    await request(stack.server).get('/api/me').set('Cookie', cookie).expect(200); // inside the bound: no upstream call
    expect(stack.fake.requests).toHaveLength(0);

    stack.fake.clock.advance(5_000);
    const res = await request(stack.server).get('/api/me').set('Cookie', cookie).expect(401);
    expect(res.body.error.code).toBe('SESSION_REVOKED');
    expect(res.headers['www-authenticate']).toBe('Session realm="Paymo", Basic realm="Paymo", charset="UTF-8"'); // an API client (no Sec-Fetch-Site): Basic offered too
  });

  it('keeps the session through Paymo 5xx and 429 (503/429 with Retry-After), then serves it again', async () => {
    stack = await startNest({ auth: (fake) => ({ now: () => fake.clock.now(), session: { revalidateAfterMs: 5_000, revalidateGraceMs: 0 /* no degraded grace: these tests check the fail-closed answer */ } }) });
    const cookie = await signIn(stack);
    stack.fake.clock.advance(6_000);

    stack.fake.faults.inject({ status: 503, times: 20 });
    const down = await request(stack.server).get('/api/me').set('Cookie', cookie).expect(503);
    expect(down.body).toEqual({ error: { code: 'UPSTREAM_UNAVAILABLE', message: expect.any(String) } });
    expect(Number(down.headers['retry-after'])).toBeGreaterThan(0);
    expect(setCookieLines(down.headers['set-cookie']).some(isClearing)).toBe(false);
    stack.fake.faults.clear();
    stack.fake.clock.advance(Number(down.headers['retry-after']) * 1000 + 1_000); // the engine waits that long before asking again

    stack.fake.rateLimit.exhaust(admin.id);
    const limited = await request(stack.server).get('/api/me').set('Cookie', cookie).expect(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(setCookieLines(limited.headers['set-cookie']).some(isClearing)).toBe(false);
    stack.fake.rateLimit.reset();
    stack.fake.clock.advance(Number(limited.headers['retry-after']) * 1000 + 1_000);

    await request(stack.server).get('/api/me').set('Cookie', cookie).expect(200);
  });

  it("answers Paymo failures of the user's own calls in a handler with the shared error, session kept", async () => {
    stack = await startNest();
    const cookie = await signIn(stack);
    stack.fake.faults.inject({ status: 500, times: 20, path: '/api/clients' });
    const failed = await request(stack.server).get('/api/clients').set('Cookie', cookie).expect(503);
    expect(failed.body).toEqual({ error: { code: 'UPSTREAM_UNAVAILABLE', message: expect.any(String) } });
    expect(failed.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    stack.fake.faults.clear();

    const ok = await request(stack.server).get('/api/clients').set('Cookie', cookie).expect(200);
    expect(Array.isArray(ok.body.clients)).toBe(true);

    // The answer above is still shared for 250 ms with identical GETs of this user; then a 429 longer
    // than the client's maximum wait (15 s) is not waited out: the typed 429 at once.
    await new Promise((resolve) => setTimeout(resolve, 300));
    stack.fake.rateLimit.configure({ limit: 100, decayPeriodSeconds: 60 });
    stack.fake.rateLimit.exhaust(admin.id);
    const limited = await request(stack.server).get('/api/clients').set('Cookie', cookie).expect(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('fails closed with 503 STORE_UNAVAILABLE when the store is down, and recovers', async () => {
    const { store, setDown } = switchableStore(new MemorySessionStore());
    stack = await startNest({ auth: { store } });
    const cookie = await signIn(stack);
    setDown(true);
    const me = await request(stack.server).get('/api/me').set('Cookie', cookie).expect(503);
    expect(me.body).toEqual({ error: { code: 'STORE_UNAVAILABLE', message: expect.any(String) } });
    expect(me.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    const signInDown = await request(stack.server).post('/auth/sign-in').send({ apiKey: admin.apiKey }).expect(503);
    expect(signInDown.body.error.code).toBe('STORE_UNAVAILABLE');
    setDown(false);
    await request(stack.server).get('/api/me').set('Cookie', cookie).expect(200);
  });
});
