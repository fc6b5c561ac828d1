import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { demoAccounts } from '@paymo/fake-api';
import { isClearing, paymoStatusWithToken, sessionCookie, setCookieLines, startNest, type NestStack } from './harness.js';

const { admin, employee } = demoAccounts;

describe('auth routes served by PaymoAuthModule', () => {
  let stack: NestStack;
  afterEach(() => stack?.close());

  it('signs in with email and password: public session, HttpOnly cookie, no token in the body', async () => {
    stack = await startNest();
    const res = await request(stack.server).post('/auth/sign-in').send({ email: admin.email, password: admin.password }).expect(200);
    expect(res.body.session).toMatchObject({ user: { id: admin.id, name: admin.name, email: admin.email, type: 'Admin' } });
    expect(typeof res.body.session.expiresAt).toBe('string');
    const [line] = setCookieLines(res.headers['set-cookie']);
    expect(line).toMatch(/^paymo\.sid=/);
    expect(line).toMatch(/HttpOnly/i);
    expect(line).toMatch(/SameSite=Lax/i);
    for (const session of stack.fake.sessions.list(admin.id)) expect(JSON.stringify(res.body) + line).not.toContain(session.id);

    const cookie = sessionCookie(res.headers['set-cookie']);
    const session = await request(stack.server).get('/auth/session').set('Cookie', cookie).expect(200);
    expect(session.body.session.user.id).toBe(admin.id);
    const me = await request(stack.server).get('/api/me').set('Cookie', cookie).expect(200);
    expect(me.body).toMatchObject({ user: { id: admin.id }, strategy: 'cookie' });
  });

  it('signs in with an API key', async () => {
    stack = await startNest();
    const res = await request(stack.server).post('/auth/sign-in').send({ apiKey: employee.apiKey }).expect(200);
    expect(res.body.session.user).toMatchObject({ id: employee.id, type: 'Employee' });
    expect(JSON.stringify(res.body)).not.toContain(employee.apiKey);
    const me = await request(stack.server).get('/api/me').set('Cookie', sessionCookie(res.headers['set-cookie'])).expect(200);
    expect(me.body.user.id).toBe(employee.id);
  });

  it('refuses a wrong password with 401 INVALID_CREDENTIALS in the shared shape, and sets no cookie', async () => {
    stack = await startNest();
    const res = await request(stack.server).post('/auth/sign-in').send({ email: admin.email, password: 'not-the-password' }).expect(401);
    expect(res.body).toEqual({ error: { code: 'INVALID_CREDENTIALS', message: expect.any(String) } });
    expect(JSON.stringify(res.body)).not.toContain('not-the-password');
    expect(setCookieLines(res.headers['set-cookie']).filter((line) => !isClearing(line))).toEqual([]);
  });

  it('refuses a cross-origin POST (CSRF) and accepts a same-origin one', async () => {
    stack = await startNest();
    const evil = await request(stack.server)
      .post('/auth/sign-in')
      .set('Origin', 'https://evil.example')
      .send({ email: admin.email, password: admin.password })
      .expect(403);
    expect(evil.body.error.code).toBe('CSRF_REJECTED');
    expect(stack.fake.sessions.list(admin.id)).toHaveLength(0);

    const site = await request(stack.server)
      .post('/auth/sign-in')
      .set('Sec-Fetch-Site', 'cross-site')
      .send({ email: admin.email, password: admin.password });
    expect(site.status).toBe(403);

    await request(stack.server).post('/auth/sign-in').set('Origin', stack.origin).send({ apiKey: admin.apiKey }).expect(200);
  });

  it('sign-out ends the Paymo session and the local one, and clears the cookie', async () => {
    stack = await startNest();
    const signIn = await request(stack.server).post('/auth/sign-in').send({ email: admin.email, password: admin.password }).expect(200);
    const cookie = sessionCookie(signIn.headers['set-cookie']);
    const [paymoSession] = stack.fake.sessions.list(admin.id);
    expect(await paymoStatusWithToken(stack.fake, paymoSession!.id)).toBe(200);

    const res = await request(stack.server).post('/auth/sign-out').set('Cookie', cookie).send({}).expect(200);
    expect(res.body).toEqual({ ok: true });
    expect(setCookieLines(res.headers['set-cookie']).some(isClearing)).toBe(true);
    expect(await paymoStatusWithToken(stack.fake, paymoSession!.id)).toBe(401);
    await request(stack.server).get('/api/me').set('Cookie', cookie).expect(401);
    expect((await request(stack.server).get('/auth/session').set('Cookie', cookie).expect(200)).body.session).toBeNull();
    expect((await request(stack.server).post('/auth/sign-out').send({}).expect(200)).body).toEqual({ ok: true });
  });

  it('lists sessions by opaque handle and signs out everywhere', async () => {
    stack = await startNest();
    const first = await request(stack.server).post('/auth/sign-in').send({ apiKey: admin.apiKey }).expect(200);
    await request(stack.server).post('/auth/sign-in').send({ apiKey: admin.apiKey }).expect(200);
    const cookie = sessionCookie(first.headers['set-cookie']);
    const tokens = stack.fake.sessions.list(admin.id).map((session) => session.id);
    expect(tokens).toHaveLength(2);

    const list = await request(stack.server).get('/auth/sessions').set('Cookie', cookie).expect(200);
    expect(list.body.sessions).toHaveLength(2);
    for (const token of tokens) expect(JSON.stringify(list.body)).not.toContain(token);

    const res = await request(stack.server).post('/auth/sign-out-everywhere').set('Cookie', cookie).send({}).expect(200);
    expect(res.body).toEqual({ ok: true, revoked: 2 });
    for (const token of tokens) expect(await paymoStatusWithToken(stack.fake, token)).toBe(401);
  });

  it('serves the routes under a custom basePath inside a global prefix', async () => {
    stack = await startNest({ auth: { basePath: '/api/auth' }, before: (app) => app.setGlobalPrefix('api') });
    const res = await request(stack.server).post('/api/auth/sign-in').send({ apiKey: admin.apiKey }).expect(200);
    const cookie = sessionCookie(res.headers['set-cookie']);
    await request(stack.server).get('/api/api/me').set('Cookie', cookie).expect(200);
    await request(stack.server).post('/auth/sign-in').send({ apiKey: admin.apiKey }).expect(404);
  });

  it("limits sign-in attempts per client IP as Express's proxy trust sees it", async () => {
    stack = await startNest({
      auth: { signInRateLimit: { perIp: 2, perAccount: 100 } },
      before: (app) => (app as NestExpressApplication).set('trust proxy', 'loopback'),
    });
    const attempt = (ip: string) =>
      request(stack.server).post('/auth/sign-in').set('X-Forwarded-For', ip).send({ email: admin.email, password: 'wrong' });
    expect((await attempt('203.0.113.1')).status).toBe(401);
    expect((await attempt('203.0.113.1')).status).toBe(401);
    const limited = await attempt('203.0.113.1');
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect((await attempt('203.0.113.2')).status).toBe(401);
  });

  it('marks the cookie Secure with the __Host- prefix behind a trusted TLS proxy', async () => {
    stack = await startNest({ before: (app) => (app as NestExpressApplication).set('trust proxy', 'loopback') });
    const res = await request(stack.server)
      .post('/auth/sign-in')
      .set('X-Forwarded-Proto', 'https')
      .set('Origin', stack.origin.replace('http:', 'https:'))
      .send({ apiKey: admin.apiKey })
      .expect(200);
    const [line] = setCookieLines(res.headers['set-cookie']);
    expect(line).toMatch(/^__Host-paymo\.sid=.*;\s*Secure/i);
    const cookie = sessionCookie(res.headers['set-cookie']);
    await request(stack.server).get('/api/me').set('X-Forwarded-Proto', 'https').set('Cookie', cookie).expect(200);
  });
});
