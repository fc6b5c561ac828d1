#!/usr/bin/env node
// The quota section of `npm run bench` (also `node bench/quota.mjs` on the built packages): one user's
// bursty load spread over THREE app processes (bench/servers/quotaApp.mjs, each its own OS process with
// its own Paymo client, as instances behind a load balancer), against the fake Paymo API at its default
// quota (5 requests per 5 s per user). Run side by side in this run:
// - naive: the client before the budget (`quota: false`, 429s retried only when Retry-After <= 2 s);
// - ours without a store: each process keeps its own budget, so together they spend the quota 3x;
// - ours on a store without `reserve()` (admit only, as a custom store may be): waiting calls race;
// - ours: the default budget with a shared RedisSessionStore (`quota: { store }`), the fleet-wide window
//   in which every call keeps its place in line.
// Each variant gets its own fake, so none spends another's quota. Load: BURSTS bursts (default 3), one
// every second, of 10 GETs over 6 distinct paths, dealt round-robin to the three processes. Reported:
// 429s Paymo answered, errors surfaced to the app, upstream calls, and the completion time against the
// theoretical minimum for the calls answered in fixed 5 s windows of 5 ((ceil(calls / 5) - 1) x 5 s: the
// first window is free).
// Redis: `quotaSection(redisUrl)` from bench/run.mjs (its private redis-server); standalone,
// BENCH_REDIS_URL or redis://127.0.0.1:6379. Keys live under a fresh prefix, deleted at the end.
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { createFakePaymo, demoAccounts } from '@paymo/fake-api';
import { deleteRedisKeys } from './deleteRedisKeys.mjs';

const bursts = Number(process.env.BENCH_QUOTA_BURSTS ?? 3);
const PROCESSES = 3;
const PATHS = ['/clients', '/users', '/company', '/clients/1001', '/users/2', '/me'];
// 10 requests per burst over the 6 paths: some identical, as a page's components ask.
const BURST = [0, 1, 2, 3, 4, 5, 0, 1, 0, 5].map((index) => PATHS[index]);
const appFile = fileURLToPath(new URL('servers/quotaApp.mjs', import.meta.url));

/**
 * Starts one app process and resolves once it is ready. `get(path)` resolves whether the app got data
 * (rejects if the process died); `stop()` ends it.
 */
function startApp(variant, env) {
  const child = fork(appFile, [variant], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map();
  let nextId = 0;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  exited.then((code) => {
    for (const { reject } of pending.values()) reject(new Error(`quota app (${variant}) exited with ${code}`));
    pending.clear();
  });
  const app = {
    get: (path) => new Promise((resolve, reject) => {
      if (child.exitCode !== null || child.signalCode !== null) return reject(new Error(`quota app (${variant}) is not running`));
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ id, path });
    }),
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.send('stop');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      return exited.then(() => clearTimeout(timer));
    },
  };
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    exited.then((code) => reject(new Error(`quota app (${variant}) exited with ${code} before it was ready`)));
    child.on('message', (message) => {
      if (message === 'ready') return resolve(app);
      pending.get(message.id)?.resolve(message.ok);
      pending.delete(message.id);
    });
  });
}

async function runOne(label, variant, redisUrl, prefix) {
  const fake = await createFakePaymo(); // the default quota, on purpose
  const env = {
    PAYMO_API_URL: fake.url,
    PAYMO_API_KEY: demoAccounts.admin.apiKey,
    BENCH_REDIS_URL: redisUrl,
    BENCH_REDIS_PREFIX: `${prefix}${variant}:`,
  };
  const starting = Array.from({ length: PROCESSES }, () => startApp(variant, env));
  const apps = [];
  try {
    // Every app that started is stopped in `finally`, even when another did not start.
    const outcomes = await Promise.allSettled(starting);
    for (const outcome of outcomes) if (outcome.status === 'fulfilled') apps.push(outcome.value);
    const failed = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    const started = performance.now();
    let errors = 0;
    const all = [];
    let dealt = 0;
    for (let burst = 0; burst < bursts; burst++) {
      if (burst > 0) await sleep(1_000);
      for (const path of BURST) {
        const app = apps[dealt++ % PROCESSES];
        all.push(app.get(path).then((ok) => void (ok || errors++)));
      }
    }
    await Promise.all(all);
    const seconds = (performance.now() - started) / 1000;
    const calls = fake.requests.length;
    const limited = fake.requests.filter((entry) => entry.status === 429).length;
    const accepted = calls - limited;
    const minimum = Math.max(0, Math.ceil(accepted / 5) - 1) * 5;
    return { label, limited, errors, calls, seconds, minimum, busiest: busiestSpan(fake.requests) };
  } finally {
    await Promise.all(apps.map((app) => app.stop()));
    await fake.close();
  }
}

/** The most calls Paymo accepted in any 5 s span (sliding; its fixed windows can see no more than that). */
function busiestSpan(requests) {
  const times = requests.filter((entry) => entry.status !== 429).map((entry) => entry.at).sort((a, b) => a - b);
  let most = 0;
  for (let first = 0, last = 0; last < times.length; last++) {
    while (times[last] - times[first] >= 5_000) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}


/** Runs the quota section against the Redis at `redisUrl` and returns it as Markdown. */
export async function quotaSection(redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379') {
  const prefix = `bench-quota:${randomUUID().slice(0, 8)}:`;
  let rows;
  try {
    rows = [
      await runOne('naive (quota: false, as before)', 'naive', redisUrl, prefix),
      await runOne('ours, no shared store (a budget per process)', 'ours-no-store', redisUrl, prefix),
      await runOne('ours, shared store without reserve() (admit only)', 'ours-admit', redisUrl, prefix),
      await runOne('ours (default budget, shared RedisSessionStore)', 'ours', redisUrl, prefix),
    ];
  } finally {
    await deleteRedisKeys(redisUrl, prefix);
  }
  const lines = [
    '## Paymo quota: one user over three app processes, bursty load, fake at its default quota (5 per 5 s)',
    '',
    `${bursts} bursts, 1 s apart, of 10 GETs over 6 distinct paths (${bursts * 10} requests, ${bursts * 6} distinct), ` +
      `dealt round-robin to ${PROCESSES} app processes.`,
    '',
    '| client | 429s from Paymo | errors to the app | upstream calls | most calls Paymo took in any 5 s | time | minimum for the calls answered | ratio |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((row) => {
      const ratio = row.minimum === 0 ? '-' : (row.seconds / row.minimum).toFixed(2);
      return `| ${row.label} | ${row.limited} | ${row.errors} | ${row.calls} | ${row.busiest} | ${row.seconds.toFixed(2)} s | ${row.minimum} s | ${ratio} |`;
    }),
    '',
  ];
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.stdout.write(`${await quotaSection()}\n`);
}
