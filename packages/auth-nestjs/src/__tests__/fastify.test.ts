import { Module } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakePaymo, demoAccounts } from '@paymo/fake-api';
import { PaymoAuthModule } from '../index.js';
import { ApiController, OpenController, type FakePaymo } from './harness.js';

const { admin, employee } = demoAccounts;

// Fastify is not the supported platform (Express is), but the module must not break on it: these are
// the paths the README promises work there.
describe('PaymoAuthModule on Nest with Fastify', () => {
  let fake: FakePaymo;
  let app: NestFastifyApplication;
  let origin: string;

  beforeAll(async () => {
    // Looser than the fake's default quota (5 per 5 s) on purpose: these tests make many Paymo calls per
    // test and check other behaviour; the quota itself is tested in quota.test.ts files.
    fake = await createFakePaymo({ rateLimit: { limit: 100, decayPeriodSeconds: 10 } });
    @Module({ imports: [PaymoAuthModule.forRoot({ baseUrl: fake.url })], controllers: [ApiController, OpenController] })
    class FastifyAppModule {}
    const moduleRef = await Test.createTestingModule({ imports: [FastifyAppModule] }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
    await app.listen(0, '127.0.0.1');
    origin = await app.getUrl();
  });
  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(origin + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('serves sign-in and the session route, with the same cookie', async () => {
    const signIn = await post('/auth/sign-in', { email: admin.email, password: admin.password });
    expect(signIn.status).toBe(200);
    const [line] = signIn.headers.getSetCookie();
    expect(line).toMatch(/^paymo\.sid=.*HttpOnly/i);
    const cookie = line!.split(';')[0]!;
    const session = await fetch(`${origin}/auth/session`, { headers: { cookie } });
    expect(((await session.json()) as { session: { user: { id: number } } }).session.user.id).toBe(admin.id);

    const me = await fetch(`${origin}/api/me`, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { user: { id: number } }).user.id).toBe(admin.id);
  });

  it('answers guard failures in the shared shape with WWW-Authenticate, and 403 on the type check', async () => {
    const anonymous = await fetch(`${origin}/api/me`, { headers: { accept: 'application/json' } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Session realm="Paymo", Basic realm="Paymo", charset="UTF-8"'); // fetch() sends no Sec-Fetch-Site
    expect(await anonymous.json()).toEqual({ error: { code: 'MISSING_CREDENTIALS', message: expect.any(String) } });

    const signIn = await post('/auth/sign-in', { apiKey: employee.apiKey });
    const cookie = signIn.headers.getSetCookie()[0]!.split(';')[0]!;
    const admin = await fetch(`${origin}/api/admin`, { headers: { cookie } });
    expect(admin.status).toBe(403);
    expect(((await admin.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
  });

  it('keeps @Public() routes open and refuses a cross-origin sign-in', async () => {
    expect((await fetch(`${origin}/open`)).status).toBe(200);
    const evil = await post('/auth/sign-in', { apiKey: admin.apiKey }, { origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    expect(((await evil.json()) as { error: { code: string } }).error.code).toBe('CSRF_REJECTED');
  });
});
