// Where a setup's time goes: runs bench servers under `node --cpu-prof` for a fixed number of requests
// and prints main-thread µs per request by category (RESULTS.md, "Where the time goes").
// Usage (after a build): node bench/profile.mjs [setup ...]   default: bare paymo-memory paymo-redis express-session-redis
// Redis: BENCH_REDIS_URL (default redis://127.0.0.1:6379), keys under a fresh prefix, deleted after.
// Env: PROFILE_REQUESTS (40000), PROFILE_TOP (0: how many functions to list by self time), PROFILE_MATCH
// (a regular expression on the script URL of the functions listed; default: ours, Express, router, Nest).
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { createFakePaymo, demoAccounts } from '@paymo/fake-api';

const setups = process.argv.length > 2 ? process.argv.slice(2) : ['bare', 'paymo-memory', 'paymo-redis', 'express-session-redis'];
const requests = Number(process.env.PROFILE_REQUESTS ?? 40_000);
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `bench-profile:${randomUUID().slice(0, 8)}:`;
const serverFile = (setup) => fileURLToPath(new URL(setup.startsWith('nest') ? './servers/nest.mjs' : './servers/express.mjs', import.meta.url));

function categorise(profile) {
  const self = new Map();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const categories = {};
  for (const node of profile.nodes) {
    const time = self.get(node.id) ?? 0;
    const { functionName: name, url } = node.callFrame;
    if (time === 0 || name === '(idle)') continue;
    let category = 'other (native, program)';
    if (name === '(garbage collector)') category = 'garbage collection';
    else if (/^(writev|writeUtf8String|writeBuffer|writeLatin1String)$/.test(name)) category = 'socket writes';
    else if (/packages\/auth-/.test(url)) category = "our packages' JS";
    else if (/node_modules/.test(url)) category = "npm dependencies' JS";
    else if (url.startsWith('node:')) category = 'Node core JS';
    categories[category] = (categories[category] ?? 0) + time;
  }
  return categories;
}

/** The functions with the most self time in our packages and in Express (PROFILE_TOP=n lists them). */
/** Which functions `PROFILE_TOP` lists: by script URL (default: ours, Express, router, Nest). */
const listed = new RegExp(process.env.PROFILE_MATCH ?? 'packages/auth-|node_modules/(express|router|@nestjs)/');

function topFunctions(profile, count) {
  const self = new Map();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byFunction = new Map();
  for (const node of profile.nodes) {
    const time = self.get(node.id) ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    if (time === 0 || !listed.test(url)) continue;
    const where = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(packages|node_modules)\//, '')}:${lineNumber + 1}`;
    byFunction.set(where, (byFunction.get(where) ?? 0) + time);
  }
  return [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, count);
}

async function cookieFor(setup, url) {
  if (setup === 'bare' || setup === 'nest-bare' || setup === 'nest-true-guard') return `paymo.sid=${'x'.repeat(43)}`;
  const res = setup.startsWith('paymo') || setup === 'nest'
    ? await fetch(`${url}/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: demoAccounts.admin.email, password: demoAccounts.admin.password }),
      })
    : await fetch(`${url}/login`, { method: 'POST' });
  if (!res.ok) throw new Error(`${setup}: sign-in answered ${res.status}`);
  return res.headers.getSetCookie()[0].split(';')[0];
}

// Looser than the fake's default quota (5 per 5 s) on purpose: these tests make many Paymo calls per
// test and check other behaviour; the quota itself is tested in quota.test.ts files.
const fake = await createFakePaymo({ rateLimit: { limit: 100, decayPeriodSeconds: 10 } });
try {
  for (const setup of setups) {
    const dir = mkdtempSync(join(tmpdir(), 'paymo-profile-'));
    const child = fork(serverFile(setup), [setup], {
      execArgv: ['--cpu-prof', `--cpu-prof-dir=${dir}`],
      env: { ...process.env, NODE_ENV: 'production', PAYMO_API_URL: fake.url, BENCH_REDIS_URL: redisUrl, BENCH_REDIS_PREFIX: prefix },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const url = await new Promise((resolve, reject) => {
      child.once('message', (message) => resolve(message.url));
      child.once('exit', (code) => reject(new Error(`${setup} exited with ${code}`)));
    });
    const cookie = await cookieFor(setup, url);
    const result = await autocannon({ url: `${url}/api/me`, connections: 20, amount: requests, headers: { cookie } });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.send('stop');
    await exited; // the profile is written on exit
    const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    const categories = categorise(profile);
    rmSync(dir, { recursive: true, force: true });
    const total = Object.values(categories).reduce((sum, time) => sum + time, 0);
    console.log(`${setup}: ${Math.round(result.requests.total / result.duration)} req/s, ${(total / requests).toFixed(0)} µs/request busy (main thread)`);
    for (const [category, time] of Object.entries(categories).sort((a, b) => b[1] - a[1])) {
      console.log(`  ${(time / requests).toFixed(1).padStart(6)} µs  ${category}`);
    }
    for (const [where, time] of topFunctions(profile, Number(process.env.PROFILE_TOP ?? 0))) {
      console.log(`      ${(time / requests).toFixed(2).padStart(6)} µs  ${where}`);
    }
  }
} finally {
  await fake.close();
  const client = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const keys = await client.keys(`${prefix}*`);
  if (keys.length > 0) await client.del(...keys);
  await client.quit();
}
