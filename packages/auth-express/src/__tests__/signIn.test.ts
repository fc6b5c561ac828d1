import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { demoAccounts } from '@paymo/fake-api';
import { expressVersions, isClearing, sessionCookie, setCookies, startStack, type Stack } from './harness.js';

const { admin, employee, archived } = demoAccounts;

describe.each(expressVersions)('sign-in on %s', (_name, lib) => {
  let stack: Stack;
  afterEach(() => stack?.close());

  it('exchanges email and password for a Paymo session and an opaque cookie', async () => {
    stack = await startStack(lib);
    const res = await request(stack.server)
      .post('/auth/sign-in')
      .set('Origin', stack.origin)
      .send({ email: admin.email, password: admin.password })
      .expect(200);
    expect(res.body.session.user).toMatchObject({ id: admin.id, email: admin.email, type: 'Admin' });
    expect(stack.fake.sessions.list(admin.id)).toHaveLength(1);
    const cookie = sessionCookie(res.headers['set-cookie']);
    const token = stack.fake.sessions.list(admin.id)[0]!.id;
    expect(cookie).not.toContain(token);
    expect(JSON.stringify(res.body)).not.toContain(token);

    stack.fake.resetRequests();
    const me = await request(stack.server).get('/api/me').set('Cookie', cookie).expect(200);
    expect(me.body.user.id).toBe(admin.id);
    expect(me.body.strategy).toBe('cookie');
    const session = await request(stack.server).get('/auth/session').set('Cookie', cookie).expect(200);
    expect(session.body.session.user.id).toBe(admin.id);
    expect(stack.fake.requests).toHaveLength(0); // a cookie session costs no Paymo call
  });

  it('signs in with an API key', async () => {
    stack = await startStack(lib);
    const res = await request(stack.server).post('/auth/sign-in').send({ apiKey: employee.apiKey }).expect(200);
    expect(res.body.session.user.id).toBe(employee.id);
    const me = await request(stack.server).get('/api/me').set('Cookie', sessionCookie(res.headers['set-cookie'])).expect(200);
    expect(me.body.user.email).toBe(employee.email);
  });

  it('refuses a wrong password and an archived user with 401 INVALID_CREDENTIALS and no cookie', async () => {
    stack = await startStack(lib);
    for (const body of [
      { email: admin.email, password: 'not-the-password' },
      { email: archived.email, password: archived.password },
      { apiKey: archived.apiKey },
    ]) {
      const res = await request(stack.server).post('/auth/sign-in').send(body).expect(401);
      expect(res.body.error.code).toBe('INVALID_CREDENTIALS');
      expect(setCookies(res.headers).filter((line) => !isClearing(line))).toEqual([]);
    }
    expect(stack.fake.sessions.list(archived.id)).toHaveLength(0);
  });

  it('sets HttpOnly, SameSite=Lax, Path=/ and no Secure over plain HTTP', async () => {
    stack = await startStack(lib);
    const res = await request(stack.server).post('/auth/sign-in').send({ apiKey: admin.apiKey }).expect(200);
    const line = setCookies(res.headers).find((l) => !isClearing(l))!;
    expect(line).toMatch(/^paymo\.sid=/);
    expect(line).toMatch(/;\s*HttpOnly/i);
    expect(line).toMatch(/;\s*SameSite=Lax/i);
    expect(line).toMatch(/;\s*Path=\//i);
    expect(line).not.toMatch(/;\s*Secure/i);
  });

  it('uses Secure and the __Host- prefix behind a trusted proxy that says https', async () => {
    stack = await startStack(lib, { before: (app) => app.set('trust proxy', 'loopback') });
    const res = await request(stack.server)
      .post('/auth/sign-in')
      .set('X-Forwarded-Proto', 'https')
      .set('Origin', `https://${new URL(stack.origin).host}`)
      .send({ apiKey: admin.apiKey })
      .expect(200);
    const line = setCookies(res.headers).find((l) => !isClearing(l))!;
    expect(line).toMatch(/^__Host-paymo\.sid=/);
    expect(line).toMatch(/;\s*Secure/i);
    expect(line).toMatch(/;\s*Path=\//i);
    expect(line).not.toMatch(/domain=/i);
    const cookie = sessionCookie(line);
    await request(stack.server).get('/api/me').set('X-Forwarded-Proto', 'https').set('Cookie', cookie).expect(200);
  });

  it('ignores X-Forwarded-Proto from a proxy the app does not trust', async () => {
    stack = await startStack(lib);
    const res = await request(stack.server)
      .post('/auth/sign-in')
      .set('X-Forwarded-Proto', 'https')
      .send({ apiKey: admin.apiKey })
      .expect(200);
    const line = setCookies(res.headers).find((l) => !isClearing(l))!;
    expect(line).toMatch(/^paymo\.sid=/);
    expect(line).not.toMatch(/;\s*Secure/i);
  });

  it('gives a fresh session id at every sign-in, also over an existing cookie', async () => {
    stack = await startStack(lib);
    const first = sessionCookie((await request(stack.server).post('/auth/sign-in').send({ apiKey: admin.apiKey })).headers['set-cookie']);
    const again = await request(stack.server).post('/auth/sign-in').set('Cookie', first).send({ apiKey: admin.apiKey }).expect(200);
    const second = sessionCookie(again.headers['set-cookie']);
    const third = sessionCookie((await request(stack.server).post('/auth/sign-in').send({ apiKey: admin.apiKey })).headers['set-cookie']);
    expect(new Set([first, second, third]).size).toBe(3);
    await request(stack.server).get('/api/me').set('Cookie', second).expect(200);
  });

  it("limits failed sign-ins per client IP as Express sees it (req.ip, honouring 'trust proxy')", async () => {
    const limits = { signInRateLimit: { perIp: 2, perAccount: 100 } };
    stack = await startStack(lib, { auth: limits, before: (app) => app.set('trust proxy', 'loopback') });
    const from = (ip: string) =>
      request(stack.server).post('/auth/sign-in').set('X-Forwarded-For', ip).send({ email: admin.email, password: 'guess' });
    await from('203.0.113.7').expect(401);
    await from('203.0.113.7').expect(401);
    const limited = await from('203.0.113.7').expect(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    await from('203.0.113.8').expect(401);
    await stack.close();

    // Without proxy trust the header is the client's word, not its address: every attempt is 127.0.0.1.
    stack = await startStack(lib, { auth: limits });
    await from('203.0.113.7').expect(401);
    await from('203.0.113.8').expect(401);
    await from('203.0.113.9').expect(429);
  });

  it('refuses a cross-origin POST to the auth routes with 403 CSRF_REJECTED', async () => {
    stack = await startStack(lib, { auth: { trustedOrigins: ['http://app.example.test'] } });
    const evil = await request(stack.server)
      .post('/auth/sign-in')
      .set('Origin', 'http://evil.example.test')
      .send({ apiKey: admin.apiKey })
      .expect(403);
    expect(evil.body.error.code).toBe('CSRF_REJECTED');
    const crossSite = await request(stack.server)
      .post('/auth/sign-in')
      .set('Sec-Fetch-Site', 'cross-site')
      .send({ apiKey: admin.apiKey })
      .expect(403);
    expect(crossSite.body.error.code).toBe('CSRF_REJECTED');
    expect(stack.fake.countRequests({ method: 'POST', path: '/api/sessions' })).toBe(0);

    const signedIn = await request(stack.server).post('/auth/sign-in').send({ apiKey: admin.apiKey }).expect(200);
    const cookie = sessionCookie(signedIn.headers['set-cookie']);
    const signOut = await request(stack.server).post('/auth/sign-out').set('Cookie', cookie).set('Origin', 'http://evil.example.test').expect(403);
    expect(signOut.body.error.code).toBe('CSRF_REJECTED');
    await request(stack.server).get('/api/me').set('Cookie', cookie).expect(200);

    await request(stack.server).post('/auth/sign-in').set('Origin', 'http://app.example.test').send({ apiKey: admin.apiKey }).expect(200);
    await request(stack.server).post('/auth/sign-in').set('Origin', stack.origin).set('Sec-Fetch-Site', 'same-origin').send({ apiKey: admin.apiKey }).expect(200);
  });

  it('reads its own body, also when the app parsed JSON before it', async () => {
    stack = await startStack(lib, { before: (app) => app.use(lib.json({ limit: '1mb' })) });
    const res = await request(stack.server).post('/auth/sign-in').send({ email: admin.email, password: admin.password }).expect(200);
    expect(res.body.session.user.id).toBe(admin.id);
    // The app's parser accepted a big body; paymoAuth's own cap still applies.
    const huge = await request(stack.server).post('/auth/sign-in').send({ email: admin.email, password: 'x'.repeat(200_000) });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses a form post even when the app parsed it with lib.urlencoded()', async () => {
    stack = await startStack(lib, { before: (app) => app.use(lib.urlencoded({ extended: false })) });
    const res = await request(stack.server).post('/auth/sign-in').type('form').send({ apiKey: admin.apiKey });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('caps the body size it reads itself', async () => {
    stack = await startStack(lib, { auth: { maxBodyBytes: 1024 } });
    const res = await request(stack.server).post('/auth/sign-in').send({ apiKey: 'a'.repeat(5000) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });
});
