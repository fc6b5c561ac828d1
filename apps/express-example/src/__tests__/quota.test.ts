import http from 'node:http';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakePaymo, defaultSeed, demoAccounts } from '@paymo/fake-api';
import { createApp } from '../app.js';

type Fake = Awaited<ReturnType<typeof createFakePaymo>>;

// Paymo's quota at the fake's default (5 requests per 5 s per user, DESIGN.md section 8): these tests
// must NOT loosen it, they check that the client spends it without meeting a 429.
describe("the Express example within Paymo's default quota", () => {
  let fake: Fake;
  let close: (() => Promise<void>) | undefined;

  beforeEach(async () => {
    const seed = defaultSeed();
    // Twelve clients, so a page can ask for twelve distinct ones.
    const clients = Array.from({ length: 12 }, (_, index) => ({ ...seed.clients[0]!, id: 2001 + index, name: `Client ${index + 1}` }));
    fake = await createFakePaymo({ seed: { clients } });
    expect(fake.rateLimit.settings).toMatchObject({ limit: 5, decayPeriodSeconds: 5, scope: 'user' });
  });
  afterEach(async () => {
    await close?.();
    close = undefined;
    await fake.close();
  });

  async function start(options: Parameters<typeof createApp>[0] = {}): Promise<http.Server> {
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

  async function signIn(app: http.Server): Promise<string> {
    const res = await request(app).post('/auth/sign-in').send({ email: demoAccounts.admin.email, password: demoAccounts.admin.password }).expect(200);
    return String(res.headers['set-cookie']?.[0]).split(';')[0]!;
  }

  it('20 concurrent identical GETs by one user all answer 200 with one upstream call', async () => {
    const app = await start();
    const cookie = await signIn(app);
    fake.resetRequests();
    const answers = await Promise.all(Array.from({ length: 20 }, () => request(app).get('/api/clients').set('Cookie', cookie)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
    expect(answers.every((answer) => answer.body.clients.length === 12)).toBe(true);
    expect(fake.requests.filter((entry) => entry.path === '/api/clients')).toHaveLength(1);
    expect(fake.requests.filter((entry) => entry.status === 429)).toHaveLength(0);
  });

  it('12 concurrent distinct GETs all answer 200 and the fake answers no 429', async () => {
    const app = await start();
    const cookie = await signIn(app);
    const ids = Array.from({ length: 12 }, (_, index) => 2001 + index);
    const answers = await Promise.all(ids.map((id) => request(app).get(`/api/clients/${id}`).set('Cookie', cookie)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(12).fill(200));
    expect(answers.map((answer) => answer.body.client.id)).toEqual(ids);
    expect(fake.requests.filter((entry) => entry.path.startsWith('/api/clients/'))).toHaveLength(12);
    expect(fake.requests.filter((entry) => entry.status === 429)).toEqual([]);
  }, 30_000);

  it('a 429 storm longer than the maximum wait answers the typed 429 with Retry-After', async () => {
    const app = await start();
    const cookie = await signIn(app);
    // Longer than the client's default maximum wait (10 s): Paymo keeps answering 429 for 60 s.
    fake.rateLimit.configure({ limit: 5, decayPeriodSeconds: 60 });
    fake.rateLimit.exhaust(demoAccounts.admin.id);
    const started = Date.now();
    const res = await request(app).get('/api/clients').set('Cookie', cookie).expect(429);
    expect(res.body.error.code).toBe('RATE_LIMITED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // It gave up at once: waiting could not have helped within the maximum wait.
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("sign-out works while the user's quota is spent, and quota trouble signs no one out", async () => {
    const app = await start();
    const cookie = await signIn(app);
    const other = await signIn(app);
    fake.rateLimit.configure({ limit: 5, decayPeriodSeconds: 60 });
    fake.rateLimit.exhaust(demoAccounts.admin.id);
    await request(app).get('/api/clients').set('Cookie', other).expect(429);
    // Still signed in: the 429 did not end the session.
    await request(app).get('/api/me').set('Cookie', other).expect(200);
    await request(app).post('/auth/sign-out').set('Cookie', cookie).send({}).expect(200);
    await request(app).get('/api/me').set('Cookie', cookie).expect(401);
    await request(app).get('/api/me').set('Cookie', other).expect(200);
  });

  it("a sign-out that meets Paymo's 429 still ends the Paymo session, once the window has passed", async () => {
    const app = await start();
    await signIn(app);
    const before = new Set(fake.sessions.list(demoAccounts.admin.id).map((session) => session.id));
    const cookie = await signIn(app);
    const [paymoSession] = fake.sessions.list(demoAccounts.admin.id).filter((session) => !before.has(session.id));
    fake.rateLimit.exhaust(demoAccounts.admin.id); // the user's page spent the 5 s window
    await request(app).post('/auth/sign-out').set('Cookie', cookie).send({}).expect(200);
    await request(app).get('/api/me').set('Cookie', cookie).expect(401);
    const deletes = () => fake.requests.filter((entry) => entry.method === 'DELETE' && entry.path === `/api/sessions/${paymoSession!.id}`);
    expect(deletes().map((entry) => entry.status)).toEqual([429]);
    // Tried again after Retry-After, in the background: Paymo's session ends too.
    const deadline = Date.now() + 12_000;
    while (!deletes().some((entry) => entry.status === 200) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(deletes().map((entry) => entry.status)).toEqual([429, 200]);
    expect(fake.sessions.list(demoAccounts.admin.id).map((session) => session.id)).not.toContain(paymoSession!.id);
  }, 20_000);

  it('a 429 shorter than the maximum wait is waited out and retried', async () => {
    const app = await start();
    const cookie = await signIn(app);
    fake.rateLimit.exhaust(demoAccounts.admin.id);
    fake.resetRequests();
    const res = await request(app).get('/api/clients').set('Cookie', cookie).expect(200);
    expect(res.body.clients).toHaveLength(12);
    expect(fake.requests.map((entry) => entry.status)).toEqual([429, 200]);
  }, 20_000);

  it('a Paymo outage of twice the re-check interval: served as degraded within the grace, fails closed after', async () => {
    // Short intervals so the test runs in seconds: re-check every 1 s, 4 s of grace (seconds of slack on
    // each side for a loaded machine).
    const app = await start({ auth: { session: { revalidateAfterMs: 1_000, revalidateGraceMs: 4_000 } } });
    const cookie = await signIn(app);
    const fresh = await request(app).get('/api/me').set('Cookie', cookie).expect(200);
    expect(fresh.body.session.degraded).toBeUndefined();
    fake.faults.inject({ status: 503, retryAfter: 1, path: /^\/api\/sessions\// });
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    await sleep(1_200); // the re-check is due; Paymo is down
    const first = await request(app).get('/api/me').set('Cookie', cookie).expect(200);
    expect(first.body.session.degraded).toBe(true);
    await sleep(1_000); // twice the re-check interval into the outage, still within the grace
    const second = await request(app).get('/api/me').set('Cookie', cookie).expect(200);
    expect(second.body.session.degraded).toBe(true);
    await sleep(3_500); // past re-check + grace (5 s after the last good check): fail closed
    const closed = await request(app).get('/api/me').set('Cookie', cookie).expect(503);
    expect(closed.body.error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(Number(closed.headers['retry-after'])).toBeGreaterThanOrEqual(1);

    // Paymo back: the session was never ended, and is confirmed again.
    fake.faults.clear();
    await sleep(1_100); // the remembered Retry-After has passed
    const back = await request(app).get('/api/me').set('Cookie', cookie).expect(200);
    expect(back.body.session.degraded).toBeUndefined();
  }, 30_000);
});
