import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaymoAuth, type PaymoAuth } from '@paymo/auth-core';
import { RedisSessionStore } from '@paymo/auth-redis';
import { createFakePaymo, demoAccounts, type FakePaymo } from '@paymo/fake-api';
import { OwnRedisServer, freePort } from './redisTestHelpers.js';

// The engine on a RedisSessionStore whose redis-server this test freezes and stops (never the shared
// one on 6379): requests fail closed with 503 STORE_UNAVAILABLE in bounded time, and the same engine
// serves again once Redis is back, with no restart.

const commandTimeoutMs = 300;
// Generous for a loaded machine; without the store's bounds these requests would hang.
const answerBoundMs = commandTimeoutMs + 1_500;
const origin = 'http://app.test';

let server: OwnRedisServer;
let dir: string;
let fake: FakePaymo;
let store: RedisSessionStore;
let auth: PaymoAuth;

const signIn = (account: { email: string; password: string } = demoAccounts.admin) =>
  auth.handle(
    new Request(`${origin}/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: account.email, password: account.password }),
    }),
    { clientIp: '203.0.113.7', secure: false },
  ) as Promise<Response>;
const withCookie = (path: string, cookie: string) => new Request(origin + path, { headers: { cookie } });
const cookieOf = (response: Response) => response.headers.getSetCookie()[0]!.split(';')[0]!;

/** Runs `work` and checks it finished within the bound. */
async function timed<T>(work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  expect(performance.now() - started).toBeLessThan(answerBoundMs);
  return result;
}

async function expectFailsClosed(cookie: string): Promise<void> {
  const state = await timed(() => auth.authenticate(withCookie('/api/me', cookie)));
  expect(state.authenticated).toBe(false);
  if (state.authenticated) return;
  expect(state.error.code).toBe('STORE_UNAVAILABLE');
  expect(state.setCookies).toEqual([]); // the session may be fine once Redis is back
  const response = auth.errorResponse(state.error);
  expect(response.status).toBe(503);
  expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);

  const session = (await timed(() => auth.handle(withCookie('/auth/session', cookie))))!;
  expect(session.status).toBe(503); // never {session: null}
  expect((await session.json()).error.code).toBe('STORE_UNAVAILABLE');

  fake.resetRequests();
  const refused = await timed(() => signIn(demoAccounts.employee));
  expect(refused.status).toBe(503);
  expect(refused.headers.getSetCookie()).toEqual([]);
  // The sign-in limits live in Redis: without them, nothing is sent to Paymo.
  expect(fake.countRequests()).toBe(0);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paymo-engine-redis-'));
  server = new OwnRedisServer(await freePort(), dir);
  await server.start();
  // Looser than the fake's default quota (5 per 5 s) on purpose: these tests make many Paymo calls per
  // test and check other behaviour; the quota itself is tested in quota.test.ts files.
  fake = await createFakePaymo({ rateLimit: { limit: 100, decayPeriodSeconds: 10 } });
  store = new RedisSessionStore({ url: server.url, keyPrefix: 'engine:', commandTimeoutMs });
  auth = createPaymoAuth({ baseUrl: fake.url, store });
});

afterAll(async () => {
  await auth?.close();
  await store?.close();
  await fake?.close();
  if (server.pid() !== undefined) {
    try {
      server.signal('SIGCONT');
    } catch {
      // already gone
    }
  }
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('createPaymoAuth() on a RedisSessionStore when Redis fails', () => {
  it('answers 503 while Redis hangs, then serves the same session again when it answers', async () => {
    const signedIn = await signIn();
    expect(signedIn.status).toBe(200);
    const cookie = cookieOf(signedIn);
    expect((await auth.authenticate(withCookie('/api/me', cookie))).authenticated).toBe(true);

    server.signal('SIGSTOP');
    try {
      await expectFailsClosed(cookie);
    } finally {
      server.signal('SIGCONT');
    }
    await expect.poll(async () => (await auth.authenticate(withCookie('/api/me', cookie))).authenticated, { timeout: 5_000 }).toBe(true);
  });

  it('answers 503 while Redis is down, and signs in again once it is back (no restart)', async () => {
    const cookie = cookieOf(await signIn());
    await server.stop();
    await expectFailsClosed(cookie);

    await server.start(); // no persistence: the sessions are gone, and say so
    await expect.poll(async () => (await signIn()).status, { timeout: 5_000 }).toBe(200);
    const gone = await auth.authenticate(withCookie('/api/me', cookie));
    expect(!gone.authenticated && gone.error.code).toBe('SESSION_EXPIRED');
    const again = cookieOf(await signIn());
    expect((await auth.authenticate(withCookie('/api/me', again))).authenticated).toBe(true);
  });

  it('leaves no charge behind for sign-ins that failed on a stalled Redis (DESIGN.md section 9)', async () => {
    const account = demoAccounts.employee;
    server.signal('SIGSTOP');
    try {
      // As many correct sign-ins as the account limit allows (5), all in flight while Redis hangs.
      const stalled = await Promise.all(Array.from({ length: 5 }, () => timed(() => signIn(account))));
      expect(stalled.map((response) => response.status)).toEqual([503, 503, 503, 503, 503]);
    } finally {
      server.signal('SIGCONT');
    }
    // The queued increments run when Redis resumes, and so do the give-backs queued behind them.
    await expect.poll(async () => (await signIn(account)).status, { timeout: 5_000 }).toBe(200);
    for (let i = 0; i < 4; i++) expect((await signIn({ email: account.email, password: `wrong-${i}` })).status).toBe(401);
    expect((await signIn(account)).status).toBe(200);
  });
});
