#!/usr/bin/env node
// `npm run bench` (from the repository root; it builds first): the scale-out benchmark suite, one run on
// this machine, printed as Markdown (bench/RESULTS.md keeps a copy). Loopback only.
//
// 1. requests/s, p99 and server CPU of one authenticated route (GET /api/me, a small JSON user) in five
//    setups: bare Express (baseline), paymoAuth() + memory store, paymoAuth() + RedisSessionStore,
//    express-session + connect-redis on the same Redis, and the Nest guard (plus one extra row: the
//    Redis store on an ioredis client with enableAutoPipelining). Each server is its own
//    process (servers/*.mjs, on the built packages); autocannon and the fake Paymo API run here.
// 2. Redis commands per request (= round trips: nothing is pipelined), counted in the server through
//    the Redis clients' diagnostics_channel tracing during a separate, untimed burst.
// 3. Upstream Paymo calls per request during the timed runs (the fake's request log).
// 4. Upstream calls per renewal across a fleet: three service clients, each on its own Redis
//    connection, sharing one RedisSessionStore prefix; renewals after Paymo refused the token and
//    ahead of expiry, each under 150 concurrent calls.
// 5. Memory per 100,000 sessions in MemorySessionStore (bench/memory.mjs under --expose-gc).
// 6. Paymo's quota: a naive client and ours under one user's bursty load over three app processes (bench/quota.mjs).
//
// Redis: a private redis-server on a free port (no persistence), so other users of the machine's Redis
// neither disturb nor see the run; set BENCH_REDIS_URL to use an existing one (keys under a fresh
// prefix, deleted at the end).
// Every server stays up for the whole run and gets one short burst per round, the variants interleaved;
// figures are the median over the rounds (a shared machine disturbs single bursts; the median leaves
// them out). Paymo calls per request are all calls during all bursts over all their requests: that
// includes the engine's periodic re-check of the session (one per session per 60 s), as in production.
// Env: BENCH_SECONDS (3 per burst), BENCH_WARMUP_SECONDS (3, once per server), BENCH_CONNECTIONS (20), BENCH_ROUNDS (7),
// BENCH_COUNT_REQUESTS (2000), BENCH_SESSIONS (100000).
import { execFileSync, fork, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, createConnection } from 'node:net';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { createPaymoClient } from '@paymo/auth-core';
import { RedisSessionStore } from '@paymo/auth-redis';
import { createFakePaymo, demoAccounts } from '@paymo/fake-api';
import { startRedisCluster } from '../scripts/redisCluster.mjs';
import { deleteRedisKeys } from './deleteRedisKeys.mjs';
import { quotaSection } from './quota.mjs';

const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const warmup = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const countRequests = Number(process.env.BENCH_COUNT_REQUESTS ?? 2000);
const sessionCount = Number(process.env.BENCH_SESSIONS ?? 100_000);
const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const prefix = `bench:${randomUUID().slice(0, 8)}:`;

const variants = {
  bare: { label: 'bare Express (baseline)', server: 'servers/express.mjs', signIn: 'none' },
  // The physical limit: the least a cookie session can cost in a hand-written middleware (servers/express.mjs).
  limit: { label: 'limit: hand-written cookie session, Map', server: 'servers/express.mjs', signIn: 'login' },
  'paymo-memory': { label: 'paymoAuth() + memory store', server: 'servers/express.mjs', signIn: 'paymo' },
  'limit-redis': { label: 'limit: hand-written cookie session, one Redis GET', server: 'servers/express.mjs', signIn: 'login' },
  'paymo-redis': { label: 'paymoAuth() + RedisSessionStore', server: 'servers/express.mjs', signIn: 'paymo' },
  'express-session-redis': { label: 'express-session + connect-redis', server: 'servers/express.mjs', signIn: 'login' },
  // Not one of the five setups: the same store on an ioredis client with auto-pipelining (see RESULTS.md).
  'paymo-redis-autopipelining': {
    label: '(extra) paymoAuth() + RedisSessionStore, ioredis enableAutoPipelining',
    server: 'servers/express.mjs',
    signIn: 'paymo',
  },
  'nest-bare': { label: 'Nest, unguarded route (the Nest baseline)', server: 'servers/nest.mjs', signIn: 'none' },
  // The Nest limit: a global guard that only returns true (what Nest charges for any guard).
  'nest-true-guard': { label: 'Nest, a global guard that returns true', server: 'servers/nest.mjs', signIn: 'none' },
  nest: { label: 'Nest PaymoAuthGuard + memory store', server: 'servers/nest.mjs', signIn: 'paymo' },
  'paymo-redis-cluster': { label: 'paymoAuth() + RedisSessionStore on a 3-master Redis Cluster', server: 'servers/express.mjs', signIn: 'paymo' },
};
// BENCH_VARIANTS=bare,paymo-redis,... runs only those setups (bare is always kept: it is the baseline).
const onlyVariants = process.env.BENCH_VARIANTS?.split(',');
if (onlyVariants) for (const name of Object.keys(variants)) if (name !== 'bare' && !onlyVariants.includes(name)) delete variants[name];

// ---------------------------------------------------------------------------------------------------
// Redis

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function answersPing(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (answer) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(200, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

async function startRedis() {
  if (process.env.BENCH_REDIS_URL) return { url: process.env.BENCH_REDIS_URL, owned: null, version: 'BENCH_REDIS_URL' };
  const port = await freePort();
  let version = 'redis-server';
  try {
    version = execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).trim().split(' ').slice(0, 3).join(' ');
  } catch {
    throw new Error('redis-server is not on PATH: install it (Debian: redis-server) or set BENCH_REDIS_URL');
  }
  const owned = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const deadline = Date.now() + 5_000;
  while (!(await answersPing(port))) {
    if (Date.now() > deadline) throw new Error('the private redis-server did not start within 5 s');
    await sleep(50);
  }
  return { url: `redis://127.0.0.1:${port}`, owned, version };
}

// ---------------------------------------------------------------------------------------------------
// Servers and load

function startServer(name, env) {
  const variant = variants[name];
  const child = fork(here(variant.server), [name], {
    env: { ...process.env, ...env, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} server did not start within 30 s`)), 30_000);
    child.once('message', (message) => {
      clearTimeout(timer);
      resolve(message.url);
    });
    child.once('exit', (code) => reject(new Error(`${name} server exited with ${code}`)));
  });
  return { child, ready };
}

/** Sends `message` to the child and resolves its first answer that has `field`. */
function ask(child, message, field) {
  return new Promise((resolve) => {
    const onMessage = (answer) => {
      if (answer?.[field] === undefined) return;
      child.off('message', onMessage);
      resolve(answer[field]);
    };
    child.on('message', onMessage);
    child.send(message);
  });
}

async function sessionCookie(name, url) {
  const { signIn } = variants[name];
  // Bare Express gets a cookie of the same size, so every row receives the same request.
  if (signIn === 'none') return `paymo.sid=${'x'.repeat(43)}`;
  const res =
    signIn === 'paymo'
      ? await fetch(`${url}/auth/sign-in`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: demoAccounts.admin.email, password: demoAccounts.admin.password }),
        })
      : await fetch(`${url}/login`, { method: 'POST' });
  if (!res.ok) throw new Error(`${name}: sign-in answered ${res.status}`);
  return res.headers.getSetCookie()[0].split(';')[0];
}

function load(url, cookie, options) {
  return autocannon({ url, connections, headers: { cookie }, ...options });
}

function assertClean(name, result) {
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(`${name}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
  }
}

/** Starts one server, signs in, checks the route, warms it up. The server stays up for every round. */
async function prepare(name, fake, redisUrl, clusterNodes) {
  const { child, ready } = startServer(name, {
    PAYMO_API_URL: fake.url,
    BENCH_REDIS_URL: redisUrl,
    BENCH_REDIS_PREFIX: prefix,
    BENCH_REDIS_CLUSTER_NODES: clusterNodes ?? '',
  });
  const url = await ready.catch((error) => {
    child.kill();
    throw error;
  });
  const server = { name, child, target: `${url}/api/me`, cookie: undefined };
  try {
    server.cookie = await sessionCookie(name, url);
    const check = await fetch(server.target, { headers: { cookie: server.cookie } });
    if (check.status !== 200) throw new Error(`${name}: GET /api/me answered ${check.status}, not 200`);
    assertClean(name, await load(server.target, server.cookie, { duration: warmup }));
  } catch (error) {
    await stopServer(server);
    throw error;
  }
  return server;
}

/** One timed burst against a prepared server: throughput, p99, its CPU, and Paymo calls meanwhile. */
async function burst(server, fake) {
  fake.resetRequests();
  server.child.send('cpu-start');
  const result = await load(server.target, server.cookie, { duration: seconds });
  const cpuMicros = await ask(server.child, 'cpu-stop', 'cpuMicros');
  assertClean(server.name, result);
  return {
    rps: result.requests.total / result.duration, // autocannon's duration is in seconds
    p99: result.latency.p99,
    cpuPerRequest: cpuMicros / result.requests.total,
    upstreamCalls: fake.requests.length,
    requests: result.requests.total,
  };
}

/** Redis commands the server sends for `countRequests` requests (untimed: tracing is on meanwhile). */
async function countCommands(server) {
  await ask(server.child, 'count-start', 'counting');
  const counted = await load(server.target, server.cookie, { amount: countRequests });
  const commands = await ask(server.child, 'count-stop', 'commands');
  assertClean(server.name, counted);
  return { commands, countedRequests: counted.requests.total };
}

async function stopServer({ child }) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send('stop');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

// ---------------------------------------------------------------------------------------------------
// Fleet renewal

async function fleetRenewal(fake, redisUrl) {
  const account = demoAccounts.employee;
  const fleetSize = 3;
  const concurrent = 150;
  let offset = 0;
  const now = () => Date.now() + offset;
  const stores = Array.from({ length: fleetSize }, () => new RedisSessionStore({ url: redisUrl, keyPrefix: `${prefix}fleet:` }));
  const clients = stores.map((store) =>
    createPaymoClient({ baseUrl: fake.url, credential: { type: 'apiKey', apiKey: account.apiKey }, service: { store }, now }),
  );
  const mints = () => fake.countRequests({ method: 'POST', path: '/api/sessions' });
  const live = () => fake.sessions.list(account.id).filter((s) => Date.parse(s.expires_on) > fake.clock.now());
  const storm = async () => {
    fake.resetRequests();
    await Promise.all(Array.from({ length: concurrent }, (_, i) => clients[i % fleetSize].request('GET', '/company')));
    return { mints: mints(), refused: fake.requests.filter((r) => r.status === 401).length };
  };
  try {
    fake.resetRequests();
    await Promise.all(clients.map((client) => client.request('GET', '/company')));
    const first = mints();
    const refusedRounds = [];
    for (let i = 0; i < 3; i++) {
      for (const session of live()) fake.sessions.expire(session.id);
      refusedRounds.push(await storm());
    }
    const aheadRounds = [];
    for (let i = 0; i < 3; i++) {
      // Move both clocks (the clients' and Paymo's) to 4 minutes before the token's end: inside the
      // default 5-minute renewal window, so the fleet renews before anything is refused.
      const newest = Math.max(...live().map((s) => Date.parse(s.expires_on)));
      const jump = newest - fake.clock.now() - 4 * 60_000;
      offset += jump;
      fake.clock.advance(jump);
      aheadRounds.push(await storm());
    }
    return { fleetSize, concurrent, first, refusedRounds, aheadRounds };
  } finally {
    await Promise.all(stores.map((store) => store.close()));
  }
}

// ---------------------------------------------------------------------------------------------------
// Memory

function memoryPerSessions() {
  const output = execFileSync(process.execPath, ['--expose-gc', here('memory.mjs'), String(sessionCount)], { encoding: 'utf8' });
  return JSON.parse(output.trim().split('\n').at(-1));
}

// ---------------------------------------------------------------------------------------------------

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);

async function main() {
  const started = Date.now();
  const loadBefore = os.loadavg();
  const redis = await startRedis();
  // A private three-master cluster on loopback (scripts/redisCluster.mjs), or BENCH_REDIS_CLUSTER_NODES.
  const cluster = process.env.BENCH_REDIS_CLUSTER_NODES
    ? null
    : variants['paymo-redis-cluster'] && (await startRedisCluster({ ports: [7321, 7322, 7323], reuse: false }));
  const clusterNodes = process.env.BENCH_REDIS_CLUSTER_NODES ?? cluster?.nodes.map(({ host, port }) => `${host}:${port}`).join(',');
  const fake = await createFakePaymo({ rateLimit: { limit: 1_000_000, decayPeriodSeconds: 10 } });
  const cleanup = async () => {
    await fake.close();
    await cluster?.stop();
    if (redis.owned) redis.owned.kill();
    else await deleteRedisKeys(redis.url, prefix);
  };
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));

  try {
    console.log(
      `GET /api/me, ${connections} connections, ${warmup} s warm-up per server, then ${rounds} rounds of one ${seconds} s burst per setup; ` +
        `Redis commands counted over ${countRequests} more requests. Node ${process.version}, ${os.availableParallelism()} CPUs, ${redis.version}.`,
    );
    const names = Object.keys(variants);
    const results = Object.fromEntries(names.map((name) => [name, []]));
    const counts = {};
    const servers = [];
    try {
      for (const name of names) servers.push(await prepare(name, fake, redis.url, clusterNodes));
      for (let round = 0; round < rounds; round++) {
        // Short bursts, interleaved, with the order alternating: a disturbance of the shared machine
        // hits one burst of some variants, and the median over the rounds leaves it out.
        const order = round % 2 === 0 ? servers : [...servers].reverse();
        for (const server of order) {
          const result = await burst(server, fake);
          results[server.name].push(result);
          console.log(
            `  round ${round + 1} ${server.name.padEnd(26)} ${Math.round(result.rps).toString().padStart(6)} req/s  p99 ${String(result.p99).padStart(3)} ms  ` +
              `CPU ${Math.round(result.cpuPerRequest)} µs/req  (load ${os.loadavg()[0].toFixed(2)})`,
          );
        }
      }
      for (const server of servers) counts[server.name] = await countCommands(server);
    } finally {
      await Promise.all(servers.map(stopServer));
    }

    const renewal = await fleetRenewal(fake, redis.url);
    const memory = memoryPerSessions();
    const loadAfter = os.loadavg();

    const baseline = {
      rps: median(results.bare.map((r) => r.rps)),
      p99: median(results.bare.map((r) => r.p99)),
      cpu: median(results.bare.map((r) => r.cpuPerRequest)),
    };
    console.log('');
    console.log(
      '| setup | requests/s | × bare | p99 ms | × bare | server CPU µs/req | bare CPU ÷ this | Redis round trips/req | Paymo calls/req |',
    );
    console.log('|---|---:|---:|---:|---:|---:|---:|---|---:|');
    for (const name of names) {
      const runs = results[name];
      const rps = median(runs.map((r) => r.rps));
      const p99 = median(runs.map((r) => r.p99));
      const cpu = median(runs.map((r) => r.cpuPerRequest));
      // Every call to Paymo during every timed run, over every request of those runs.
      const upstream = runs.reduce((sum, r) => sum + r.upstreamCalls, 0) / runs.reduce((sum, r) => sum + r.requests, 0);
      const last = counts[name];
      const total = Object.values(last.commands).reduce((sum, n) => sum + n, 0);
      const perRequest = total / last.countedRequests;
      const detail = Object.entries(last.commands)
        .map(([command, n]) => `${command} ${(n / last.countedRequests).toFixed(2)}`)
        .join(' + ');
      const roundTrips = total === 0 ? '0' : `${perRequest.toFixed(2)} (${detail})`;
      console.log(
        `| ${variants[name].label} | ${Math.round(rps)} | ${(rps / baseline.rps).toFixed(2)} | ${p99.toFixed(1)} | ${(p99 / baseline.p99).toFixed(2)} | ${Math.round(cpu)} | ${(baseline.cpu / cpu).toFixed(2)} | ${roundTrips} | ${upstream === 0 ? '0' : upstream.toFixed(5)} |`,
      );
    }
    // The goals, as ratios of server CPU per request in this run (medians over the rounds).
    const cpuOf = (name) => (results[name]?.length ? median(results[name].map((r) => r.cpuPerRequest)) : undefined);
    const goals = [];
    const [limit, memory_, limitRedis, redis_, connect, nestBare, nestTrue, nest] = ['limit', 'paymo-memory', 'limit-redis', 'paymo-redis', 'express-session-redis', 'nest-bare', 'nest-true-guard', 'nest'].map(cpuOf);
    if (limit !== undefined && memory_ !== undefined) {
      goals.push(`- paymoAuth() + memory store: ${(memory_ - limit).toFixed(1)} µs/req above the limit row (goal: within 5), ${(baseline.cpu / memory_).toFixed(2)}× bare (limit row ${(baseline.cpu / limit).toFixed(2)}×)`);
    }
    if (redis_ !== undefined && connect !== undefined) {
      goals.push(`- paymoAuth() + Redis: ${(connect / redis_).toFixed(2)}× express-session + connect-redis (goal: above 1)` +
        (limitRedis === undefined ? '' : `, ${(redis_ / limitRedis).toFixed(2)}× the CPU of the limit row with one Redis GET (goal: at most 1.10)`));
    }
    if (nest !== undefined && nestBare !== undefined) {
      goals.push(
        `- Nest guarded route: ${(nestBare / nest).toFixed(2)}× the unguarded Nest route (goal: at least 0.93)` +
          (nestTrue === undefined ? '' : `; a guard that returns true: ${(nestBare / nestTrue).toFixed(2)}×`),
      );
    }
    if (goals.length > 0) console.log(['', 'Goals (server CPU per request, this run):', ...goals].join('\n'));
    const perRenewal = (rounds) => rounds.map((r) => r.mints).join(', ');
    console.log('');
    console.log(
      `Fleet renewal (${renewal.fleetSize} service clients, each its own Redis connection, one store prefix; ${renewal.concurrent} concurrent calls per renewal):`,
    );
    console.log(`- first token: ${renewal.first} POST /api/sessions`);
    console.log(
      `- token refused by Paymo (expired there), 3 renewals: ${perRenewal(renewal.refusedRounds)} POST /api/sessions each ` +
        `(${renewal.refusedRounds.map((r) => r.refused).join(', ')} calls got the 401 first, each retried once)`,
    );
    console.log(
      `- ahead of expiry (clocks moved into the renewal window), 3 renewals: ${perRenewal(renewal.aheadRounds)} POST /api/sessions each ` +
        `(${renewal.aheadRounds.map((r) => r.refused).join(', ')} refused calls)`,
    );
    console.log('');
    console.log(
      `MemorySessionStore, ${memory.count.toLocaleString('en')} sessions of ${memory.valueBytes}-byte values (10 per user index): ` +
        `heap +${mb(memory.heapBytes)} MB (${Math.round(memory.heapBytes / memory.count)} bytes/session; keys + values alone ` +
        `${mb(memory.payloadBytes)} MB), RSS +${mb(memory.rssBytes)} MB.`,
    );
    console.log('');
    // 6. Paymo's quota (bench/quota.mjs): a naive client and ours, side by side.
    console.log(await quotaSection(redis.url));
    console.log('');
    console.log(
      `Load average (1 min) ${loadBefore[0].toFixed(2)} before, ${loadAfter[0].toFixed(2)} after; ` +
        `${os.availableParallelism()} CPUs, ${mb(os.totalmem())} MB RAM; the run took ${Math.round((Date.now() - started) / 1000)} s.`,
    );
  } finally {
    await cleanup();
  }
}

await main();
// 6. The Paymo proxy's server overhead against a hand-written route (bench/proxy.mjs).
await (await import('./proxy.mjs')).benchProxy();
