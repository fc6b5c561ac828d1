import type { ErrorRequestHandler } from 'express';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { demoAccounts } from '@paymo/fake-api';
import { createPaymoAuth, PaymoAuthError } from '@paymo/auth-core';
import { getPaymoAuth, paymoAuth, paymoAuthErrorHandler, requirePaymoAuth } from '../index.js';
import { closeServers, expressVersions, serve, sessionCookie, startStack, type Stack } from './harness.js';

const appErrorHandler = (seen: string[] = []): ErrorRequestHandler => (error: Error, _req, res, _next) => {
  seen.push(error.message);
  res.status(500).json({ handledBy: 'app' });
};

const { admin, employee } = demoAccounts;

describe.each(expressVersions)('requirePaymoAuth and getPaymoAuth on %s', (_name, lib) => {
  let stack: Stack;
  afterEach(async () => {
    await closeServers();
    await stack?.close();
  });

  const signIn = async (apiKey: string) =>
    sessionCookie((await request(stack.server).post('/auth/sign-in').send({ apiKey }).expect(200)).headers['set-cookie']);

  it('answers 401 MISSING_CREDENTIALS as JSON with WWW-Authenticate, and lets public routes through', async () => {
    stack = await startStack(lib);
    const res = await request(stack.server).get('/api/me').expect(401).expect('Content-Type', /json/);
    expect(res.body).toEqual({ error: { code: 'MISSING_CREDENTIALS', message: expect.any(String) } });
    // No Sec-Fetch-Site: an API client, offered Basic too; a browser page gets the Session scheme only.
    expect(res.headers['www-authenticate']).toBe('Session realm="Paymo", Basic realm="Paymo", charset="UTF-8"');
    const browser = await request(stack.server).get('/api/me').set('Sec-Fetch-Site', 'same-origin').expect(401);
    expect(browser.headers['www-authenticate']).toBe('Session realm="Paymo"');
    const pub = await request(stack.server).get('/public').expect(200);
    expect(pub.body).toEqual({ authenticated: false, code: 'MISSING_CREDENTIALS' });
  });

  it('answers 403 FORBIDDEN when the user type or the predicate refuses', async () => {
    stack = await startStack(lib);
    const adminCookie = await signIn(admin.apiKey);
    const employeeCookie = await signIn(employee.apiKey);
    await request(stack.server).get('/api/admin').set('Cookie', adminCookie).expect(200);
    const refused = await request(stack.server).get('/api/admin').set('Cookie', employeeCookie).expect(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
    await request(stack.server).get('/api/even').set('Cookie', employeeCookie).expect(200); // id 2
    const odd = await request(stack.server).get('/api/even').set('Cookie', adminCookie).expect(403); // id 1
    expect(odd.body.error.code).toBe('FORBIDDEN');
    const anonymous = await request(stack.server).get('/api/admin').expect(401);
    expect(anonymous.body.error.code).toBe('MISSING_CREDENTIALS');
  });

  it('redirects only browsers asking for HTML, and only where redirectTo is set', async () => {
    stack = await startStack(lib);
    const page = await request(stack.server).get('/dashboard').set('Accept', 'text/html,application/xhtml+xml,*/*;q=0.8').expect(303);
    expect(page.headers.location).toBe('/sign-in');
    await request(stack.server).get('/dashboard').set('Accept', 'application/json').expect(401);
    await request(stack.server).get('/dashboard').set('Accept', '*/*').expect(401);
    await request(stack.server).get('/api/me').set('Accept', 'text/html').expect(401);
    await request(stack.server).get('/dashboard').set('Accept', 'text/html').set('Cookie', await signIn(admin.apiKey)).expect(200);
  });

  it('accepts an engine made with createPaymoAuth()', async () => {
    stack = await startStack(lib);
    const engine = createPaymoAuth({ baseUrl: stack.fake.url, basePath: '/api/auth' });
    const app = lib();
    app.use(paymoAuth(engine));
    app.get('/who', requirePaymoAuth(), (req, res) => res.json({ id: getPaymoAuth(req).user.id }));
    const server = await serve(app);
    const res = await request(server).post('/api/auth/sign-in').send({ apiKey: admin.apiKey }).expect(200);
    await request(server).get('/who').set('Cookie', sessionCookie(res.headers['set-cookie'])).expect(200, { id: admin.id });
    await request(server).post('/auth/sign-in').send({ apiKey: admin.apiKey }).expect(404);
    await engine.close();
  });

  it('answers Paymo errors thrown by routes with the typed JSON, and passes other errors on', async () => {
    stack = await startStack(lib);
    const app = lib();
    app.use(paymoAuth(stack.auth));
    app.get('/limited', () => {
      throw new PaymoAuthError('RATE_LIMITED', 'Paymo is rate limiting this app', { retryAfter: 7 });
    });
    app.get('/bug', () => {
      throw new Error('a bug');
    });
    app.use(paymoAuthErrorHandler());
    app.use(appErrorHandler());
    const server = await serve(app);
    const limited = await request(server).get('/limited').expect(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(limited.headers['retry-after']).toBe('7');
    await request(server).get('/bug').expect(500, { handledBy: 'app' });
  });

  it('names the missing setup when paymoAuth() was not registered first', async () => {
    const app = lib();
    app.get('/guarded', requirePaymoAuth(), (_req, res) => res.send('never'));
    app.get('/direct', (req, res) => res.json(getPaymoAuth(req).user));
    const messages: string[] = [];
    app.use(appErrorHandler(messages));
    const server = await serve(app);
    await request(server).get('/guarded').expect(500);
    await request(server).get('/direct').expect(500);
    expect(messages).toEqual([
      expect.stringMatching(/^paymoAuth\(\) must be registered before requirePaymoAuth\(\)/),
      expect.stringMatching(/^paymoAuth\(\) must be registered before getPaymoAuth\(\)/),
    ]);
  });

  it('throws the typed 401 from getPaymoAuth() on a request that is not signed in', async () => {
    stack = await startStack(lib);
    const app = lib();
    app.use(paymoAuth(stack.auth));
    app.get('/unguarded', (req, res) => res.json(getPaymoAuth(req).user));
    app.use(paymoAuthErrorHandler());
    const server = await serve(app);
    const res = await request(server).get('/unguarded').expect(401);
    expect(res.body.error.code).toBe('MISSING_CREDENTIALS');
  });
});
