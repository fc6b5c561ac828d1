import { Module, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { demoAccounts } from '@paymo/fake-api';
import { isPaymoAuthError } from '@paymo/auth-core';
import {
  PAYMO_AUTH,
  PAYMO_NODE_HANDLER,
  PaymoAuthExceptionFilter,
  PaymoAuthGuard,
  PaymoAuthMiddleware,
  PaymoAuthModule,
} from '../index.js';
import { ApiController, PerRouteController, sessionCookie, startNest, type NestStack } from './harness.js';

const { admin, employee } = demoAccounts;
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function signIn(stack: NestStack, body: object): Promise<string> {
  const res = await request(stack.server).post('/auth/sign-in').send(body).expect(200);
  return sessionCookie(res.headers['set-cookie']);
}

describe('PaymoAuthGuard', () => {
  let stack: NestStack;
  afterEach(() => stack?.close());

  it('is global by default: an unannotated route answers 401 in the shared shape with WWW-Authenticate', async () => {
    stack = await startNest();
    const res = await request(stack.server).get('/api/me').set('Accept', 'application/json').expect(401);
    expect(res.body).toEqual({ error: { code: 'MISSING_CREDENTIALS', message: expect.any(String) } });
    expect(res.headers['www-authenticate']).toBe('Session realm="Paymo", Basic realm="Paymo", charset="UTF-8"'); // an API client (no Sec-Fetch-Site): Basic offered too
    expect(res.headers['content-type']).toMatch(/application\/json/);
  });

  it('lets @Public() handlers and controllers through, where @PaymoUser() is undefined', async () => {
    stack = await startNest();
    expect((await request(stack.server).get('/api/public').expect(200)).body).toEqual({ open: true, user: null });
    expect((await request(stack.server).get('/open').expect(200)).body).toEqual({ open: true });
  });

  it('authenticates pass-through X-Session and Basic (email:password, apiKey) credentials', async () => {
    stack = await startNest();
    const session = stack.fake.sessions.create(employee.id);
    const viaHeader = await request(stack.server).get('/api/me').set('X-Session', session.id).expect(200);
    expect(viaHeader.body).toMatchObject({ user: { id: employee.id }, strategy: 'session-header' });
    const viaPassword = await request(stack.server).get('/api/me').set('Authorization', basic(admin.email, admin.password)).expect(200);
    expect(viaPassword.body.user.id).toBe(admin.id);
    const viaKey = await request(stack.server).get('/api/me').set('Authorization', basic(admin.apiKey, 'x')).expect(200);
    expect(viaKey.body.user.id).toBe(admin.id);
    const wrong = await request(stack.server).get('/api/me').set('Authorization', basic(admin.email, 'wrong-pw')).expect(401);
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
  });

  it('answers 403 FORBIDDEN on @PaymoUserType("Admin") for other users, and lets admins in', async () => {
    stack = await startNest();
    const employeeCookie = await signIn(stack, { apiKey: employee.apiKey });
    const refused = await request(stack.server).get('/api/admin').set('Cookie', employeeCookie).expect(403);
    expect(refused.body).toEqual({ error: { code: 'FORBIDDEN', message: expect.stringContaining('Admin') } });
    const adminCookie = await signIn(stack, { apiKey: admin.apiKey });
    expect((await request(stack.server).get('/api/admin').set('Cookie', adminCookie).expect(200)).body).toEqual({
      ok: true,
      name: admin.name,
    });
    await request(stack.server).get('/api/admin').expect(401);
  });

  it('works per route with globalGuard: false, and names the missing guard when a decorator has none', async () => {
    stack = await startNest({ globalGuard: false, controllers: [PerRouteController] });
    expect((await request(stack.server).get('/per-route/unguarded').expect(200)).body).toEqual({ guarded: false });
    const refused = await request(stack.server).get('/per-route/guarded').expect(401);
    expect(refused.body.error.code).toBe('MISSING_CREDENTIALS');
    const cookie = await signIn(stack, { apiKey: employee.apiKey });
    expect((await request(stack.server).get('/per-route/guarded').set('Cookie', cookie).expect(200)).body).toEqual({
      guarded: true,
      id: employee.id,
    });
    const misused = await request(stack.server).get('/per-route/misused').set('Cookie', cookie).expect(500);
    expect(misused.body.error.code).toBe('CONFIG_ERROR');
  });

  it('takes its options from forRootAsync() with an injected config provider', async () => {
    const CONFIG = 'TEST_CONFIG';
    let factoryCalls = 0;
    stack = await startNest({
      authModule: (fake, logger) => {
        @Module({ providers: [{ provide: CONFIG, useValue: { paymoUrl: fake.url, basePath: '/session-api' } }], exports: [CONFIG] })
        class ConfigModule {}
        return PaymoAuthModule.forRootAsync({
          imports: [ConfigModule],
          inject: [CONFIG],
          useFactory: (config: { paymoUrl: string; basePath: string }) => {
            factoryCalls += 1;
            return { baseUrl: config.paymoUrl, basePath: config.basePath, logger };
          },
        });
      },
    });
    expect(factoryCalls).toBe(1);
    await request(stack.server).post('/auth/sign-in').send({ apiKey: admin.apiKey }).expect(404);
    const res = await request(stack.server).post('/session-api/sign-in').send({ apiKey: admin.apiKey }).expect(200);
    await request(stack.server).get('/api/me').set('Cookie', sessionCookie(res.headers['set-cookie'])).expect(200);
    await request(stack.server).get('/api/me').expect(401);
  });

  it('forRootAsync() honours globalGuard: false', async () => {
    stack = await startNest({
      controllers: [PerRouteController],
      authModule: (fake) => PaymoAuthModule.forRootAsync({ useFactory: () => ({ baseUrl: fake.url }), globalGuard: false }),
    });
    await request(stack.server).get('/per-route/unguarded').expect(200);
    await request(stack.server).get('/per-route/guarded').expect(401);
  });

  it('gets real injected dependencies (no silently undefined metadata-less injection)', async () => {
    stack = await startNest();
    const engine = stack.app.get(PAYMO_AUTH);
    expect(typeof engine.authenticate).toBe('function');
    const handler = stack.app.get(PAYMO_NODE_HANDLER);
    expect(handler.auth).toBe(engine);
    const guard = stack.app.get(PaymoAuthGuard) as unknown as { handler: unknown; reflector: unknown };
    expect(guard.handler).toBe(handler);
    expect(guard.reflector).toBeInstanceOf(Reflector);
    expect((stack.app.get(PaymoAuthMiddleware) as unknown as { handler: unknown }).handler).toBe(handler);
    const controller = stack.app.get(ApiController) as unknown as { service: { me?: unknown } };
    expect(typeof controller.service.me).toBe('function');
  });

  it('injects a service-account client from serviceApiKey, and one that names the missing option otherwise', async () => {
    stack = await startNest({ auth: { serviceApiKey: admin.apiKey } });
    expect((await request(stack.server).get('/api/service/me').expect(200)).body).toEqual({ id: admin.id });
    await stack.close();

    stack = await startNest();
    const res = await request(stack.server).get('/api/service/me').expect(500);
    expect(res.body.error).toEqual({ code: 'CONFIG_ERROR', message: expect.stringContaining('serviceApiKey') });
  });

  it('fails closed outside HTTP: an RPC context is refused with CONFIG_ERROR, not let through', async () => {
    stack = await startNest();
    const guard = stack.app.get(PaymoAuthGuard);
    const rpc = {
      getType: () => 'rpc',
      getHandler: () => ApiController.prototype.me,
      getClass: () => ApiController,
      switchToHttp: () => {
        throw new Error('not HTTP');
      },
    } as unknown as ExecutionContext;
    const error = await Promise.resolve()
      .then(() => guard.canActivate(rpc))
      .catch((e: unknown) => e);
    expect(isPaymoAuthError(error) && error.code).toBe('CONFIG_ERROR');
  });
});
