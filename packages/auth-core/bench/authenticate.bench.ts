// Benchmark (not a test): the cost of `authenticate()` on a valid cookie session, the hot path of every
// request, against the in-memory store; compared in the same process with a bare `store.get` +
// `JSON.parse` of the same record, and with the sha256 of the cookie added (the stated budget).
//
//   node node_modules/tsx/dist/cli.mjs packages/auth-core/bench/authenticate.bench.ts
//
// Prints figures only; it asserts nothing about speed. It does fail if a call is not authenticated or
// if any upstream call is made during the measured loop (the goal is 0).
import { performance } from 'node:perf_hooks';
import { createFakePaymo, demoAccounts } from '../../fake-api/src/index.js';
import { createPaymoAuth } from '../src/engine/createPaymoAuth.js';
import { fastSha256 } from '../src/engine/fastSha256.js';
import { MemorySessionStore } from '../src/store/MemorySessionStore.js';
import type { PaymoAuthRequestLike } from '../src/engine/types.js';

const ITERATIONS = 10_000;
const WARMUP = 2_000;

// Looser than the fake's default quota (5 per 5 s) on purpose: these tests make many Paymo calls per
// test and check other behaviour; the quota itself is tested in quota.test.ts files.
const fake = await createFakePaymo({ rateLimit: { limit: 100, decayPeriodSeconds: 10 } });
const store = new MemorySessionStore();
const auth = createPaymoAuth({ baseUrl: fake.url, store });

const signIn = await auth.handle(
  new Request('http://app.test/auth/sign-in', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: demoAccounts.admin.email, password: demoAccounts.admin.password }),
  }),
);
if (signIn?.status !== 200) throw new Error(`sign-in failed: ${signIn?.status}`);
const cookie = signIn.headers.getSetCookie()[0]!.split(';')[0]!;
const cookieValue = cookie.slice(cookie.indexOf('=') + 1);

// What adapters pass: a zero-copy view of the incoming headers (like nodeRequestLike), plus a typical
// browser Cookie header with a few other cookies around ours.
const headerValues: Record<string, string> = {
  cookie: `_ga=GA1.1.123456789.1700000000; theme=dark; ${cookie}; lang=en`,
  accept: 'text/html',
};
const request: PaymoAuthRequestLike = {
  method: 'GET',
  url: 'http://app.test/dashboard',
  headers: { get: (name) => headerValues[name] ?? null },
};

async function runAuthenticate(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const state = await auth.authenticate(request);
    if (!state.authenticated) throw new Error(`not authenticated: ${state.error.code}`);
  }
}

const key = `sess:${await fastSha256(cookieValue)}`;
async function runBaseline(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const raw = await store.get(key);
    if (raw === null || (JSON.parse(raw) as { v: number }).v !== 1) throw new Error('record missing');
  }
}
async function runBaselineWithHash(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const raw = await store.get(`sess:${await fastSha256(cookieValue)}`);
    if (raw === null || (JSON.parse(raw) as { v: number }).v !== 1) throw new Error('record missing');
  }
}

async function time(run: (n: number) => Promise<void>): Promise<number> {
  const start = performance.now();
  await run(ITERATIONS);
  return performance.now() - start;
}

// Shared machines are noisy: run ROUNDS interleaved rounds of each variant and report the median
// round (min-max alongside), so one preempted round does not decide the figures.
const ROUNDS = 5;
await runBaseline(WARMUP);
await runBaselineWithHash(WARMUP);
await runAuthenticate(WARMUP);
fake.resetRequests();
const rounds = { authenticate: [] as number[], baseline: [] as number[], budget: [] as number[] };
const upstreamPerRound: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  rounds.baseline.push(await time(runBaseline));
  rounds.budget.push(await time(runBaselineWithHash));
  const before = fake.countRequests();
  rounds.authenticate.push(await time(runAuthenticate));
  upstreamPerRound.push(fake.countRequests() - before);
}
const upstreamCalls = fake.countRequests();

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const perOp = (ms: number) => ((ms * 1000) / ITERATIONS).toFixed(2);
const opsPerSecond = (ms: number) => Math.round(ITERATIONS / (ms / 1000)).toLocaleString('en-US');
const line = (label: string, values: number[]) => {
  const ms = median(values);
  return `  ${label.padEnd(34)} total ${ms.toFixed(1).padStart(7)} ms, ${perOp(ms).padStart(6)} µs/op, ${opsPerSecond(ms).padStart(8)} ops/s` +
    `  (rounds ${perOp(Math.min(...values))}-${perOp(Math.max(...values))} µs/op)`;
};
const k = ITERATIONS.toLocaleString('en-US');
console.log(`authenticate() with a valid cookie session: ${k} calls per round, median of ${ROUNDS} rounds, Node ${process.version}`);
console.log(line('authenticate():', rounds.authenticate));
console.log(line('baseline store.get + JSON.parse:', rounds.baseline));
console.log(line('baseline + sha256(cookie):', rounds.budget));
console.log(`  ratio authenticate / (store.get + JSON.parse):          ${(median(rounds.authenticate) / median(rounds.baseline)).toFixed(2)}x`);
console.log(`  ratio authenticate / (sha256 + store.get + JSON.parse): ${(median(rounds.authenticate) / median(rounds.budget)).toFixed(2)}x`);
console.log(`  upstream (Paymo) calls during each ${k} authenticate() calls: ${upstreamPerRound.join(', ')} (goal: 0); total ${upstreamCalls}`);

await auth.close();
await store.close();
await fake.close();
if (upstreamCalls !== 0) process.exitCode = 1;
