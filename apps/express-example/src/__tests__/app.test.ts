import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakePaymo, demoAccounts } from '@paymo/fake-api';
import { createApp, type ExampleAppOptions } from '../app.js';

type Fake = Awaited<ReturnType<typeof createFakePaymo>>;

describe('the Express example app', () => {
  let fake: Fake;
  let close: (() => Promise<void>) | undefined;

  beforeEach(async () => {
    // Looser than the fake's default quota (5 per 5 s) on purpose: these tests make many Paymo calls per
    // test and check other behaviour; the quota itself is tested in quota.test.ts files.
    fake = await createFakePaymo({ rateLimit: { limit: 100, decayPeriodSeconds: 10 } });
  });
  afterEach(async () => {
    await close?.();
    await fake.close();
  });

  async function start(options: ExampleAppOptions = {}): Promise<http.Server> {
    const app = createApp({ paymoApiUrl: fake.url, ...options });
    const listening = http.createServer(app);
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
    close = async () => {
      listening.closeAllConnections();
      await new Promise((resolve) => listening.close(resolve));
      await app.locals.paymoAuth.close();
    };
    return listening;
  }

  it('signs in, shows the user and their Paymo clients, and signs out', async () => {
    const app = await start();
    await request(app).get('/api/me').expect(401);
    const signIn = await request(app)
      .post('/auth/sign-in')
      .send({ email: demoAccounts.admin.email, password: demoAccounts.admin.password })
      .expect(200);
    const cookie = String(signIn.headers['set-cookie']?.[0]).split(';')[0]!;

    const me = await request(app).get('/api/me').set('Cookie', cookie).expect(200);
    expect(me.body.user).toMatchObject({ id: demoAccounts.admin.id, name: demoAccounts.admin.name });
    expect(me.body.session.expiresAt).toEqual(expect.any(String));

    fake.resetRequests();
    const clients = await request(app).get('/api/clients').set('Cookie', cookie).expect(200);
    expect(clients.body.clients.length).toBeGreaterThan(0);
    expect(clients.body.clients[0]).toMatchObject({ id: expect.any(Number), name: expect.any(String) });
    expect(fake.requests).toEqual([expect.objectContaining({ method: 'GET', path: '/api/clients', auth: 'session', userId: demoAccounts.admin.id })]);

    await request(app).post('/auth/sign-out').set('Cookie', cookie).send({}).expect(200);
    await request(app).get('/api/clients').set('Cookie', cookie).expect(401);
  });

  it("GET /api/projects lists the signed-in user's projects from Paymo: all for an Admin, only their own for an Employee", async () => {
    const app = await start();
    const signIn = async (apiKey: string) => {
      const res = await request(app).post('/auth/sign-in').send({ apiKey }).expect(200);
      return String(res.headers['set-cookie']?.[0]).split(';')[0]!;
    };
    const admin = await request(app).get('/api/projects').set('Cookie', await signIn(demoAccounts.admin.apiKey)).expect(200);
    expect(admin.body.projects.map((p: { name: string }) => p.name)).toEqual(['Scranton Paper Sales', 'Corporate Audit']);
    const employee = await request(app).get('/api/projects').set('Cookie', await signIn(demoAccounts.employee.apiKey)).expect(200);
    expect(employee.body.projects.map((p: { name: string }) => p.name)).toEqual(['Scranton Paper Sales']);
    expect(fake.requests.filter((r) => r.path === '/api/projects').map((r) => [r.auth, r.userId])).toEqual([
      ['session', demoAccounts.admin.id],
      ['session', demoAccounts.employee.id],
    ]);
  });

  it('answers API clients with their own Paymo credentials (Basic)', async () => {
    const app = await start();
    const basic = Buffer.from(`${demoAccounts.employee.apiKey}:X`).toString('base64');
    const res = await request(app).get('/api/clients').set('Authorization', `Basic ${basic}`).expect(200);
    expect(Array.isArray(res.body.clients)).toBe(true);
  });

  it('turns a Paymo outage into 503 with Retry-After, and unknown API paths into a JSON 404', async () => {
    const app = await start();
    const signIn = await request(app).post('/auth/sign-in').send({ apiKey: demoAccounts.admin.apiKey }).expect(200);
    const cookie = String(signIn.headers['set-cookie']?.[0]).split(';')[0]!;
    fake.faults.inject({ status: 503, times: 10, path: '/api/clients' });
    const res = await request(app).get('/api/clients').set('Cookie', cookie).expect(503);
    expect(res.body.error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(res.headers['retry-after']).toBeTruthy();
    const missing = await request(app).get('/api/nope').set('Cookie', cookie).expect(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
  });

  it('serves the sign-in page at / when no static directory is set', async () => {
    const app = await start();
    const res = await request(app).get('/').expect(200).expect('Content-Type', /html/);
    expect(res.text).toContain('/auth/sign-in');
  });

  describe('with STATIC_DIR', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'express-example-'));
      await mkdir(join(dir, 'assets'));
      await writeFile(join(dir, 'index.html'), '<!doctype html><div id="root">spa shell</div>');
      await writeFile(join(dir, 'assets', 'app.js'), 'console.log("app")');
    });
    afterEach(() => rm(dir, { recursive: true, force: true }));

    it('serves files, falls back to index.html for pages, and leaves /api and /auth alone', async () => {
      const app = await start({ staticDir: dir });
      await request(app).get('/assets/app.js').expect(200).expect('Content-Type', /javascript/);
      const page = await request(app).get('/projects/42').set('Accept', 'text/html').expect(200);
      expect(page.text).toContain('spa shell');
      expect((await request(app).get('/').set('Accept', 'text/html').expect(200)).text).toContain('spa shell');
      await request(app).get('/api/me').set('Accept', 'text/html').expect(401);
      const session = await request(app).get('/auth/session').set('Accept', 'text/html').expect(200);
      expect(session.body.session).toBeNull();
      await request(app).get('/assets/missing.js').set('Accept', '*/*').expect(404);
    });
  });

  it('sets a Secure __Host- cookie behind a trusted TLS proxy', async () => {
    const app = await start({ trustProxy: 'loopback' });
    const { port } = app.address() as AddressInfo;
    const res = await request(app)
      .post('/auth/sign-in')
      .set('X-Forwarded-Proto', 'https')
      .set('Origin', `https://127.0.0.1:${port}`)
      .send({ apiKey: demoAccounts.admin.apiKey })
      .expect(200);
    expect(String(res.headers['set-cookie']?.[0])).toMatch(/^__Host-paymo\.sid=.*;\s*Secure/i);
  });
});
