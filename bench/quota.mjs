#!/usr/bin/env node
// The quota section of `npm run bench` (also `node bench/quota.mjs` on the built packages): one user's
// bursty load against the fake Paymo API at its default quota (5 requests per 5 s per user), run side
// by side in this process by a naive client (today's behaviour before the budget: `quota: false`,
// 429s retried only when Retry-After <= 2 s) and by ours (the default budget). Each client gets its own
// fake, so neither spends the other's quota. Load: BURSTS bursts (default 3), one every second, of 10
// GETs over 6 distinct paths. Reported: 429s Paymo answered, errors surfaced to the app, upstream calls,
// and the completion time against the theoretical minimum for that many calls in fixed 5 s windows of
// 5 ((ceil(calls / 5) - 1) x 5 s: the first window is free).
// Limit: one process, no store (the fleet-wide budget through Redis is tested in
// apps/express-example/src/__tests__/quotaFleet.test.ts, not benchmarked here).
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { createPaymoClient } from '@paymo/auth-core';
import { createFakePaymo, demoAccounts } from '@paymo/fake-api';

const bursts = Number(process.env.BENCH_QUOTA_BURSTS ?? 3);
const PATHS = ['/clients', '/users', '/company', '/clients/1001', '/users/2', '/me'];
// 10 requests per burst over the 6 paths: some identical, as a page's components ask.
const BURST = [0, 1, 2, 3, 4, 5, 0, 1, 0, 5].map((index) => PATHS[index]);

async function runOne(label, clientOptions) {
  const fake = await createFakePaymo(); // the default quota, on purpose
  try {
    const paymo = createPaymoClient({ baseUrl: fake.url, credential: { type: 'apiKey', apiKey: demoAccounts.admin.apiKey }, ...clientOptions });
    const started = performance.now();
    let errors = 0;
    const all = [];
    for (let burst = 0; burst < bursts; burst++) {
      if (burst > 0) await sleep(1_000);
      for (const path of BURST) all.push(paymo.request('GET', path).then(() => undefined, () => void errors++));
    }
    await Promise.all(all);
    const seconds = (performance.now() - started) / 1000;
    const calls = fake.requests.length;
    const limited = fake.requests.filter((entry) => entry.status === 429).length;
    const accepted = calls - limited;
    const minimum = Math.max(0, Math.ceil(accepted / 5) - 1) * 5;
    return { label, requests: all.length, distinct: PATHS.length * bursts, limited, errors, calls, seconds, minimum };
  } finally {
    await fake.close();
  }
}

/** Runs the quota section and returns it as Markdown. */
export async function quotaSection() {
  const rows = [
    await runOne('naive (quota: false, as before)', { quota: false }),
    await runOne('ours (default budget)', {}),
  ];
  const lines = [
    '## Paymo quota: one user, bursty load, fake at its default quota (5 per 5 s)',
    '',
    `${bursts} bursts, 1 s apart, of 10 GETs over 6 distinct paths (${bursts * 10} requests, ${bursts * 6} distinct), one process.`,
    '',
    '| client | 429s from Paymo | errors to the app | upstream calls | time | minimum for the calls answered | ratio |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map((row) => {
      const ratio = row.minimum === 0 ? '-' : (row.seconds / row.minimum).toFixed(2);
      return `| ${row.label} | ${row.limited} | ${row.errors} | ${row.calls} | ${row.seconds.toFixed(2)} s | ${row.minimum} s | ${ratio} |`;
    }),
    '',
  ];
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.stdout.write(`${await quotaSection()}\n`);
}
