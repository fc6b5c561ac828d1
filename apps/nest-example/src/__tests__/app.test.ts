import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakePaymo, demoAccounts } from '@paymo/fake-api';
import { AppModule } from '../app.module.js';
import { APP_CONFIG, configFromEnv, type AppConfig } from '../config.js';

const { admin, employee } = demoAccounts;

describe('nest-example', () => {
  let fake: Awaited<ReturnType<typeof createFakePaymo>>;
  let app: INestApplication;
  let server: Server;

  beforeAll(async () => {
    // Looser than the fake's default quota (5 per 5 s) on purpose: these tests make many Paymo calls per
    // test and check other behaviour; the quota itself is tested in quota.test.ts files.
    fake = await createFakePaymo({ rateLimit: { limit: 100, decayPeriodSeconds: 10 } });
    const config: AppConfig = { port: 0, host: '127.0.0.1', paymoApiUrl: fake.url };
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).overrideProvider(APP_CONFIG).useValue(config).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    server = app.getHttpServer() as Server;
  });
  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  const signIn = async (body: object) => {
    const res = await request(server).post('/auth/sign-in').send(body).expect(200);
    return String(([] as string[]).concat(res.headers['set-cookie'] ?? [])[0]).split(';')[0]!;
  };

  it('listens on loopback only', () => {
    expect((server.address() as AddressInfo).address).toBe('127.0.0.1');
  });

  it('has a public index', async () => {
    const res = await request(server).get('/').expect(200);
    expect(res.body.app).toBe('nest-example');
  });

  it('shows the signed-in user on a protected route, and refuses anonymous requests', async () => {
    const anonymous = await request(server).get('/me').expect(401);
    expect(anonymous.body.error.code).toBe('MISSING_CREDENTIALS');
    const cookie = await signIn({ email: employee.email, password: employee.password });
    const me = await request(server).get('/me').set('Cookie', cookie).expect(200);
    expect(me.body.user).toEqual({ id: employee.id, name: employee.name, email: employee.email, type: 'Employee' });
    expect(Date.parse(me.body.expiresAt)).toBeGreaterThan(Date.now());
  });

  it('fetches clients from Paymo with the user’s own session', async () => {
    const cookie = await signIn({ apiKey: admin.apiKey });
    fake.resetRequests();
    const res = await request(server).get('/clients').set('Cookie', cookie).expect(200);
    expect(res.body.clients.length).toBeGreaterThan(0);
    expect(res.body.clients[0]).toEqual({ id: expect.any(Number), name: expect.any(String) });
    const upstream = fake.requests.filter((entry) => entry.path === '/api/clients');
    expect(upstream).toEqual([expect.objectContaining({ method: 'GET', auth: 'session', userId: admin.id, status: 200 })]);
  });

  it('keeps the admin report for admins', async () => {
    const employeeCookie = await signIn({ apiKey: employee.apiKey });
    const refused = await request(server).get('/admin/report').set('Cookie', employeeCookie).expect(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
    const adminCookie = await signIn({ apiKey: admin.apiKey });
    expect((await request(server).get('/admin/report').set('Cookie', adminCookie).expect(200)).body).toEqual({
      report: 'for admins only',
      viewer: admin.name,
    });
  });

  it('reads its configuration from the environment, defaulting to the fake API on loopback', () => {
    expect(configFromEnv({})).toEqual({ port: 3001, host: '127.0.0.1', paymoApiUrl: 'http://127.0.0.1:4010/api' });
    expect(
      configFromEnv({ PORT: '8080', HOST: '0.0.0.0', PAYMO_API_URL: 'https://app.paymoapp.com/api', TRUST_PROXY: 'loopback' }),
    ).toEqual({ port: 8080, host: '0.0.0.0', paymoApiUrl: 'https://app.paymoapp.com/api', trustProxy: 'loopback' });
    expect(configFromEnv({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
  });
});
