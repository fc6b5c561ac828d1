#!/usr/bin/env node
// The Paymo proxy's server overhead: server CPU per request of `GET /auth/paymo/clients` (the proxy)
// against a hand-written route making the same Paymo call (`GET /api/clients` with req.paymo.client),
// in one server process, interleaved bursts, median over the rounds. Part of `npm run bench`; also
// `node bench/proxy.mjs` alone (after a build). Loopback only.
// Env: BENCH_PROXY_SECONDS (2 per burst), BENCH_PROXY_ROUNDS (5), BENCH_CONNECTIONS (20).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createFakePaymo, demoAccounts } from '@paymo/fake-api';

const seconds = Number(process.env.BENCH_PROXY_SECONDS ?? 2);
const rounds = Number(process.env.BENCH_PROXY_ROUNDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function ask(child, message, field) {
  return new Promise((resolve) => {
    const onMessage = (reply) => {
      if (reply && field in reply) {
        child.off('message', onMessage);
        resolve(reply[field]);
      }
    };
    child.on('message', onMessage);
    child.send(message);
  });
}

export async function benchProxy() {
  // Looser than Paymo's 5 requests per 5 s: this measures our server's CPU per request, not the quota.
  const fake = await createFakePaymo({ rateLimit: { limit: 10_000_000, decayPeriodSeconds: 10 } });
  const child = fork(here('servers/proxy.mjs'), [], { env: { ...process.env, PAYMO_API_URL: fake.url }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const url = await new Promise((resolve) => child.once('message', (message) => resolve(message.url)));
    const signIn = await fetch(`${url}/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: demoAccounts.admin.email, password: demoAccounts.admin.password }),
    });
    const cookie = signIn.headers.getSetCookie()[0].split(';')[0];
    const routes = { 'hand-written route (GET /api/clients)': '/api/clients', 'proxy (GET /auth/paymo/clients)': '/auth/paymo/clients' };
    const samples = Object.fromEntries(Object.keys(routes).map((name) => [name, []]));
    for (let round = 0; round <= rounds; round++) {
      for (const [name, path] of Object.entries(routes)) {
        child.send('cpu-start');
        const result = await autocannon({ url: `${url}${path}`, connections, duration: seconds, headers: { cookie } });
        const cpuMicros = await ask(child, 'cpu-stop', 'cpuMicros');
        if (result.non2xx > 0 || result.errors > 0) throw new Error(`${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
        if (round > 0) samples[name].push(cpuMicros / result.requests.total); // round 0 warms up
      }
    }
    const [handWritten, proxy] = Object.values(samples).map(median);
    console.log('');
    console.log(`Paymo proxy overhead (server CPU per request, median of ${rounds} interleaved ${seconds} s bursts, ${connections} connections; each request makes one Paymo call to the fake):`);
    console.log('');
    console.log('| route | CPU µs/request | × hand-written |');
    console.log('|---|---:|---:|');
    console.log(`| hand-written route (GET /api/clients, req.paymo.client) | ${handWritten.toFixed(1)} | 1.00 |`);
    console.log(`| proxy (GET /auth/paymo/clients) | ${proxy.toFixed(1)} | ${(proxy / handWritten).toFixed(2)} |`);
    console.log('');
    console.log(`Proxy overhead: ${(proxy - handWritten).toFixed(1)} µs per request.`);
  } finally {
    child.send('stop');
    await new Promise((resolve) => child.once('exit', resolve));
    await fake.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await benchProxy();
