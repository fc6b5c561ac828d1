import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPaymoClient } from '@paymo/auth-core';
import type { SessionStore } from '@paymo/auth-core';
import { RedisSessionStore } from '@paymo/auth-redis';
import { createFakePaymo, demoAccounts, type FakePaymo } from '@paymo/fake-api';

// Several instances of the example app, each its own OS process (tsx on src/server.ts, so no build is
// needed), on one real Redis, against one fake Paymo API running in this process. Every key of the run
// lives under a fresh prefix, deleted in afterAll. multiInstance.cluster.test.ts runs this same file on
// the test run's Redis Cluster (scripts/redisCluster.mjs) by setting the flag below before importing it.

declare module 'vitest' {
  export interface ProvidedContext {
    redisClusterNodes: { host: string; port: number }[];
  }
}
const onCluster = (globalThis as { paymoMultiInstanceOnCluster?: boolean }).paymoMultiInstanceOnCluster === true;
const clusterNodes = onCluster ? inject('redisClusterNodes') : undefined;
const backend = onCluster ? 'a three-master Redis Cluster' : 'one Redis';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const serverFile = fileURLToPath(new URL('../server.ts', import.meta.url));
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const runPrefix = `paymo-multi:${randomUUID().slice(0, 8)}:`;
const { admin, employee, guest } = demoAccounts;
// The service account is Jan's API key: no other test here signs in as Jan, so her sessions are its own.
const serviceAccount = guest;

interface Instance {
  name: string;
  url: string;
  child: ChildProcess;
  output: () => string;
}

let fake: FakePaymo;
let redis: Redis | Cluster;
let instances: Instance[] = [];
const extraStores: RedisSessionStore[] = [];

async function connectRedis(): Promise<Redis | Cluster> {
  if (clusterNodes) {
    const cluster = new Cluster(clusterNodes, { lazyConnect: true });
    cluster.on('error', () => {});
    await cluster.connect();
    return cluster;
  }
  const client = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  client.on('error', () => {});
  for (let attempt = 1; ; attempt++) {
    try {
      await client.connect();
      await client.ping();
      return client;
    } catch (error) {
      client.disconnect();
      if (attempt >= 25) throw new Error(`no Redis at ${redisUrl}`, { cause: error });
      await sleep(200);
    }
  }
}

/** Starts one example process on a free port and resolves once it says where it listens (bounded). */
function startInstance(name: string): Promise<Instance> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@paymo/source', serverFile], {
    cwd: repoRoot,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      PAYMO_API_URL: fake.url,
      PAYMO_STORE: 'redis',
      REDIS_URL: redisUrl,
      REDIS_CLUSTER_NODES: clusterNodes?.map(({ host, port }) => `${host}:${port}`).join(',') ?? '',
      REDIS_KEY_PREFIX: runPrefix,
      PAYMO_SERVICE_API_KEY: serviceAccount.apiKey,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`instance ${name} did not start within 45 s:\n${output}`)), 45_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.once('exit', (code) => fail(new Error(`instance ${name} exited with ${code}:\n${output}`)));
    child.stdout!.on('data', () => {
      const url = /Express example on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (!url) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({ name, url, child, output: () => output });
    });
  });
}

async function stopInstance({ child }: Instance): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Every key matching `pattern`, on every master (SCAN, never KEYS). */
async function scanKeys(pattern: string): Promise<string[]> {
  const found: string[] = [];
  for (const node of redis instanceof Cluster ? redis.nodes('master') : [redis]) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      cursor = next;
      found.push(...keys);
    } while (cursor !== '0');
  }
  return found;
}

async function deleteRunKeys(): Promise<void> {
  // One DEL per key: on a cluster, keys of different slots cannot go in one command.
  await Promise.all((await scanKeys(`${runPrefix}*`)).map((key) => redis.del(key)));
}

interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

/** One request to an instance, bounded, with the cookie if given. */
async function call(instance: Instance, method: 'GET' | 'POST', path: string, options: { cookie?: string; body?: unknown } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.cookie) headers.cookie = options.cookie;
  if (method === 'POST') headers['content-type'] = 'application/json';
  const res = await fetch(instance.url + path, {
    method,
    headers,
    body: method === 'POST' ? JSON.stringify(options.body ?? {}) : undefined,
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

async function signIn(instance: Instance, account: { email: string; password: string }): Promise<string> {
  const res = await fetch(`${instance.url}/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: account.email, password: account.password }),
    signal: AbortSignal.timeout(15_000),
  });
  expect(res.status, `sign-in on ${instance.name}`).toBe(200);
  return res.headers.getSetCookie()[0]!.split(';')[0]!;
}

const serviceMints = () =>
  fake.requests.filter((r) => r.method === 'POST' && r.path === '/api/sessions' && r.userId === serviceAccount.id).length;
const liveSessions = (userId: number) => fake.sessions.list(userId).filter((s) => Date.parse(s.expires_on) > fake.clock.now());

/** The version Redis holds for the shared service token (the store's metadata hash, in clear). */
async function storedServiceVersion(): Promise<number> {
  const keys = await scanKeys(`${runPrefix}{paymo:service:*}:m`);
  expect(keys).toHaveLength(1);
  return Number(await redis.hget(keys[0]!, 'ver'));
}

/** `count` concurrent requests, spread round-robin over every instance. */
function spread(count: number, path: string, cookie: string): Promise<Answer[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => call(instances[i % instances.length]!, 'GET', path, { cookie })));
}

beforeAll(async () => {
  // A high Paymo rate limit: the renewal storms send more than 100 requests as one user within 10 s.
  fake = await createFakePaymo({ rateLimit: { limit: 100_000, decayPeriodSeconds: 10 } });
  redis = await connectRedis();
  instances = await Promise.all(['A', 'B', 'C'].map(startInstance));
}, 60_000);

afterAll(async () => {
  await Promise.all(instances.map(stopInstance));
  await Promise.all(extraStores.map((store) => store.close()));
  await fake?.close();
  if (redis) {
    await deleteRunKeys();
    expect(await scanKeys(`${runPrefix}*`)).toEqual([]);
    await redis.quit();
  }
}, 30_000);

describe(`three Express example processes on ${backend}`, () => {
  it('runs separate OS processes', () => {
    const pids = new Set(instances.map((instance) => instance.child.pid));
    expect(pids.size).toBe(3);
    expect(pids.has(process.pid)).toBe(false);
    expect(new Set(instances.map((instance) => instance.url)).size).toBe(3);
  });

  it('a session signed in on A is used on B and C, with no call to Paymo', async () => {
    const [a, b, c] = instances as [Instance, Instance, Instance];
    const cookie = await signIn(a, admin);
    fake.resetRequests();
    for (const instance of [b, c, a]) {
      const me = await call(instance, 'GET', '/api/me', { cookie });
      expect(me.status, instance.name).toBe(200);
      expect(me.body.user).toMatchObject({ id: admin.id, name: admin.name });
    }
    expect((await call(b, 'GET', '/auth/session', { cookie })).body.session.user.id).toBe(admin.id);
    expect(fake.requests).toEqual([]);
  });

  it('signed out on B: refused on A and C at once', async () => {
    const [a, b, c] = instances as [Instance, Instance, Instance];
    const cookie = await signIn(a, admin);
    expect((await call(a, 'GET', '/api/me', { cookie })).status).toBe(200);
    expect((await call(c, 'GET', '/api/me', { cookie })).status).toBe(200);
    fake.resetRequests();

    expect((await call(b, 'POST', '/auth/sign-out', { cookie })).body).toEqual({ ok: true });
    const onA = await call(a, 'GET', '/api/me', { cookie });
    expect(onA.status).toBe(401);
    expect(onA.body.error.code).toBe('SESSION_EXPIRED');
    expect((await call(c, 'GET', '/api/me', { cookie })).status).toBe(401);
    expect((await call(a, 'GET', '/auth/session', { cookie })).body).toEqual({ session: null });
    // B also ended the Paymo session.
    expect(fake.countRequests({ method: 'DELETE', path: /^\/api\/sessions\/[0-9a-f]{32}$/ })).toBe(1);
  });

  it('sign-out-everywhere on A ends the sessions made on B and C', async () => {
    const [a, b, c] = instances as [Instance, Instance, Instance];
    const onB = await signIn(b, employee);
    const onC = await signIn(c, employee);
    const onA = await signIn(a, employee);
    for (const [instance, cookie] of [[a, onB], [b, onC], [c, onA]] as const) {
      expect((await call(instance, 'GET', '/api/me', { cookie })).status).toBe(200);
    }
    expect(liveSessions(employee.id)).toHaveLength(3);

    const everywhere = await call(a, 'POST', '/auth/sign-out-everywhere', { cookie: onA });
    expect(everywhere.status).toBe(200);
    expect(everywhere.body).toEqual({ ok: true, revoked: 3 });

    for (const instance of instances) {
      for (const cookie of [onA, onB, onC]) {
        const res = await call(instance, 'GET', '/api/me', { cookie });
        expect(res.status, `${instance.name}`).toBe(401);
        expect(res.body.error.code).toBe('SESSION_EXPIRED');
      }
    }
    expect(fake.sessions.list(employee.id)).toEqual([]);
    expect(await redis.exists(`${runPrefix}{user:${employee.id}}:i`)).toBe(0);
  });

  it('counts sign-in attempts across instances: the sixth for one account is refused, whichever instance gets it', async () => {
    const email = `nobody-${randomUUID().slice(0, 8)}@example.com`;
    fake.resetRequests();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 7; attempt++) {
      const res = await call(instances[attempt % 3]!, 'POST', '/auth/sign-in', { body: { email, password: 'wrong-password' } });
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.body.error.code).toBe('RATE_LIMITED');
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      }
    }
    // The default limit is 5 attempts per account per 15 minutes; no instance saw more than 3 itself.
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    // The refused attempts never reached Paymo.
    expect(fake.countRequests({ method: 'POST', path: '/api/sessions' })).toBe(5);
  });

  describe('the service account (GET /api/service/company)', () => {
    let cookie: string;

    beforeAll(async () => {
      cookie = await signIn(instances[0]!, admin);
    });

    it('mints one token for the whole fleet', async () => {
      fake.resetRequests();
      // One after the other, so each process reads what the previous one stored.
      for (const instance of instances) {
        const res = await call(instance, 'GET', '/api/service/company', { cookie });
        expect(res.status, instance.name).toBe(200);
        expect(res.body.company.id).toBe(123);
      }
      expect(serviceMints()).toBe(1);
      expect(liveSessions(serviceAccount.id)).toHaveLength(1);
    });

    it('renewal at expiry, 60 concurrent requests over all processes: exactly one POST /api/sessions', async () => {
      const [old] = liveSessions(serviceAccount.id);
      const versionBefore = await storedServiceVersion();
      // Every process holds this token in memory and believes it fresh; Paymo now refuses it.
      expect(fake.sessions.expire(old!.id)).toBe(true);
      fake.resetRequests();

      const answers = await spread(60, '/api/service/company', cookie);
      expect(answers.map((answer) => answer.status)).toEqual(Array(60).fill(200));
      expect(serviceMints()).toBe(1);
      expect(fake.countRequests({ method: 'POST', path: '/api/sessions' })).toBe(1);

      const company = fake.requests.filter((r) => r.path === '/api/company');
      const refused = company.filter((r) => r.status === 401);
      // Each process sent the expired token at least once, and no request was retried more than once.
      expect(refused.length).toBeGreaterThanOrEqual(3);
      expect(refused.every((r) => r.reason === 'expired_session')).toBe(true);
      // Identical GETs in flight in one process share one upstream call, so at most 60 answered 200.
      const served = company.filter((r) => r.status === 200).length;
      expect(served).toBeGreaterThanOrEqual(3);
      expect(served).toBeLessThanOrEqual(60);
      expect(company).toHaveLength(served + refused.length);

      const live = liveSessions(serviceAccount.id);
      expect(live).toHaveLength(1);
      expect(live[0]!.id).not.toBe(old!.id);
      const versionAfter = await storedServiceVersion();
      expect(versionAfter).toBeGreaterThan(versionBefore);
      expect(Math.abs(versionAfter - Date.parse(live[0]!.expires_on))).toBeLessThan(1_500);

      // Afterwards every process uses the new token: nothing refused, nothing minted.
      fake.resetRequests();
      const after = await spread(30, '/api/service/company', cookie);
      expect(after.every((answer) => answer.status === 200)).toBe(true);
      // Identical GETs in flight in one process share one upstream call: at most 30 calls.
      const calls = fake.requests.filter((r) => r.path === '/api/company').map((r) => `${r.status}:${r.auth}`);
      expect(calls.length).toBeLessThanOrEqual(30);
      expect(calls).toEqual(Array(Math.max(1, calls.length)).fill('200:session'));
      expect(serviceMints()).toBe(0);
    });

    it('a newer token is never overwritten by an older one, even by a process that lost the lock', async () => {
      // A fourth fleet member (this test process) in split brain: it does not see the shared token,
      // believes it holds the renewal lock, and its write of the token it minted is slow.
      let openGate!: () => void;
      const gate = new Promise<void>((resolve) => (openGate = resolve));
      let gateOpen = false;
      void gate.then(() => (gateOpen = true));
      let lateWrite: boolean | undefined;
      const shared = new RedisSessionStore({ ...(clusterNodes ? { clusterNodes } : { url: redisUrl }), keyPrefix: runPrefix });
      extraStores.push(shared);
      const splitBrain: SessionStore = {
        get: async (key) => (gateOpen ? shared.get(key) : null),
        set: async (...args) => {
          await gate;
          lateWrite = await shared.set(...args);
          return lateWrite;
        },
        delete: (key) => shared.delete(key),
        listIndex: (index) => shared.listIndex(index),
        deleteIndex: (index) => shared.deleteIndex(index),
        increment: (key, windowMs) => shared.increment(key, windowMs),
        acquireLock: async () => 'split-brain',
        releaseLock: (key, owner) => shared.releaseLock(key, owner),
      };
      const late = createPaymoClient({
        baseUrl: fake.url,
        credential: { type: 'apiKey', apiKey: serviceAccount.apiKey },
        service: { store: splitBrain },
      });

      fake.resetRequests();
      const [fleetToken] = liveSessions(serviceAccount.id);
      const lateCall = late.request<{ company: { id: number } }>('GET', '/company');
      await expect.poll(serviceMints, { timeout: 10_000 }).toBe(1); // the older token exists, not yet written
      const older = liveSessions(serviceAccount.id).find((s) => s.id !== fleetToken!.id)!;
      await sleep(1_100); // so the fleet's next token expires a whole second later

      // The fleet renews (its token expired) and stores the newer token.
      fake.sessions.expire(fleetToken!.id);
      expect((await spread(30, '/api/service/company', cookie)).every((answer) => answer.status === 200)).toBe(true);
      expect(serviceMints()).toBe(2);
      const newerVersion = await storedServiceVersion();

      // Now the late write arrives: Redis refuses it, and the late process adopts the newer token.
      openGate();
      expect((await lateCall).company.id).toBe(123);
      expect(lateWrite).toBe(false);
      expect(await storedServiceVersion()).toBe(newerVersion);

      // Nobody uses the older token: with it revoked, every process (the late one included) still
      // answers from the newer one, without a refusal or another mint.
      fake.sessions.revoke(older.id);
      fake.resetRequests();
      expect((await spread(30, '/api/service/company', cookie)).every((answer) => answer.status === 200)).toBe(true);
      await late.request('GET', '/company');
      // Identical GETs in flight in one process share one upstream call: at most 31 calls, all 200.
      const statuses = fake.requests.filter((r) => r.path === '/api/company').map((r) => r.status);
      expect(statuses.length).toBeGreaterThanOrEqual(2);
      expect(statuses.length).toBeLessThanOrEqual(31);
      expect(statuses).toEqual(Array(statuses.length).fill(200));
      expect(serviceMints()).toBe(0);
      expect(liveSessions(serviceAccount.id)).toHaveLength(1);
    });
  });
});
