import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakePaymo, defaultSeed, demoAccounts, type FakePaymo } from '@paymo/fake-api';

// Several instances of the example app, each its own OS process (tsx on src/server.ts, so no build is
// needed), on one real Redis, against one fake Paymo API running in this process. Every key of the run
// lives under a fresh prefix, deleted in afterAll.

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const serverFile = fileURLToPath(new URL('../server.ts', import.meta.url));
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const runPrefix = `paymo-quota-fleet:${randomUUID().slice(0, 8)}:`;
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
let redis: Redis;
let instances: Instance[] = [];

async function connectRedis(): Promise<Redis> {
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
      REDIS_KEY_PREFIX: runPrefix,
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

async function deleteRunKeys(): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${runPrefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
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
    // Three 5 s windows for 12 calls: the last answers after about 10 s, more on a loaded machine.
    signal: AbortSignal.timeout(30_000),
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


beforeAll(async () => {
  // The fake's default quota (5 per 5 s per user), on purpose: the fleet must stay within it.
  const seed = defaultSeed();
  const clients = Array.from({ length: 20 }, (_, index) => ({ ...seed.clients[0]!, id: 2001 + index, name: `Client ${index + 1}` }));
  fake = await createFakePaymo({ seed: { clients } });
  redis = await connectRedis();
  instances = await Promise.all(['A', 'B', 'C'].map(startInstance));
}, 60_000);

afterAll(async () => {
  await Promise.all(instances.map(stopInstance));
  await fake?.close();
  if (redis) {
    await deleteRunKeys();
    await redis.quit();
  }
}, 30_000);

/** The most calls any of the fake's fixed 5 s windows saw (windows open at a call, as the fake's do). */
function busiestWindow(times: number[]): number {
  let most = 0;
  let start = -Infinity;
  let count = 0;
  for (const at of [...times].sort((a, b) => a - b)) {
    if (at >= start + 5_000) {
      start = at;
      count = 0;
    }
    most = Math.max(most, ++count);
  }
  return most;
}

describe("three Express example processes on one Redis share one user's Paymo quota", () => {
  it('12 distinct GETs of one user spread over three processes: all 200, no 429, at most 5 calls per 5 s window', async () => {
    const cookie = await signIn(instances[0]!, admin);
    // Start just after the sign-in's Paymo window ended: the sign-in's calls are in the fleet's budget,
    // so this burst meets windows that are not aligned with Paymo's.
    await sleep(5_200);
    fake.resetRequests();
    const ids = Array.from({ length: 12 }, (_, index) => 2001 + index);
    const answers = await Promise.all(ids.map((id, i) => call(instances[i % 3]!, 'GET', `/api/clients/${id}`, { cookie })));
    expect(answers.map((answer) => answer.status)).toEqual(Array(12).fill(200));
    expect(answers.map((answer) => answer.body.client.id)).toEqual(ids);
    expect(fake.requests.filter((entry) => entry.status === 429)).toEqual([]);
    expect(fake.requests).toHaveLength(12);
    expect(busiestWindow(fake.requests.map((entry) => entry.at))).toBeLessThanOrEqual(5);
  }, 40_000);

  it("right after a sign-in, whose own calls Paymo counts in the user's window too: still no 429, at most 5 per window", async () => {
    fake.resetRequests();
    const cookie = await signIn(instances[1]!, employee);
    const ids = Array.from({ length: 12 }, (_, index) => 2001 + index);
    const answers = await Promise.all(ids.map((id, i) => call(instances[i % 3]!, 'GET', `/api/clients/${id}`, { cookie })));
    expect(answers.map((answer) => answer.status)).toEqual(Array(12).fill(200));
    expect(fake.requests.filter((entry) => entry.status === 429)).toEqual([]);
    const employeeCalls = fake.requests.filter((entry) => entry.userId === employee.id);
    expect(employeeCalls.length).toBeGreaterThanOrEqual(14); // the sign-in's two and the twelve GETs
    expect(busiestWindow(employeeCalls.map((entry) => entry.at))).toBeLessThanOrEqual(5);
  }, 40_000);

  it('first come, first served across processes: a newer burst never pushes an older call past the maximum wait', async () => {
    const cookie = await signIn(instances[2]!, admin);
    await sleep(6_500); // the sign-in's two calls have left the fleet's window (5 s + 500 ms), with a second to spare
    fake.resetRequests();
    // 15 GETs fill three windows (0, 5.5 and 11 s); 5 more, 4.5 s later, need the fourth (16.5 s), which
    // only they can wait for within the 15 s maximum (12 s; 3 s to spare on a slow machine). Served out
    // of order, some of the first 15 would be pushed to 16.5 s and answer 429.
    const first = Array.from({ length: 15 }, (_, index) => 2001 + index);
    const later = Array.from({ length: 5 }, (_, index) => 2016 + index);
    const firstAnswers = Promise.all(first.map((id, i) => call(instances[i % 3]!, 'GET', `/api/clients/${id}`, { cookie })));
    await sleep(4_500);
    const laterAnswers = Promise.all(later.map((id, i) => call(instances[i % 3]!, 'GET', `/api/clients/${id}`, { cookie })));
    const answers = [...(await firstAnswers), ...(await laterAnswers)];
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
    expect(fake.requests.filter((entry) => entry.status === 429)).toEqual([]);
    const adminCalls = fake.requests.filter((entry) => entry.userId === admin.id);
    expect(adminCalls).toHaveLength(20);
    expect(busiestWindow(adminCalls.map((entry) => entry.at))).toBeLessThanOrEqual(5);
    // Paymo saw every one of the first 15 before any of the later 5.
    const sentAt = (id: number) => adminCalls.find((entry) => entry.path === `/api/clients/${id}`)!.at;
    expect(Math.max(...first.map(sentAt))).toBeLessThan(Math.min(...later.map(sentAt)));
  }, 60_000);
});
