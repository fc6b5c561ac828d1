// `pnpm --filter @paymo/auth-nestjs bench`: requests/s of a route behind PaymoAuthGuard (global guard,
// cookie session, memory store) against a @Public() route in the same Nest app, in one run. The app
// runs the built package in a child process; autocannon runs here. Loopback only.
// Rounds alternate the two routes; besides requests/s it prints the app process's CPU time per request,
// which a busy machine (other processes on the same cores) disturbs far less.
// Env: BENCH_SECONDS (default 5), BENCH_WARMUP_SECONDS (2), BENCH_CONNECTIONS (20), BENCH_ROUNDS (4).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { demoAccounts } from '@paymo/fake-api';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const warmup = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const rounds = Number(process.env.BENCH_ROUNDS ?? 4);

const child = fork(fileURLToPath(new URL('./bench-app.mjs', import.meta.url)), [], {
  env: { ...process.env, NODE_ENV: 'production' },
  stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
});
const url = await new Promise((resolve, reject) => {
  child.once('message', (message) => resolve(message.url));
  child.once('exit', (code) => reject(new Error(`the bench app exited with ${code}`)));
});

try {
  const signIn = await fetch(`${url}/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: demoAccounts.admin.email, password: demoAccounts.admin.password }),
  });
  if (!signIn.ok) throw new Error(`sign-in answered ${signIn.status}`);
  // Both routes get the same cookie, so the only difference is the guard.
  const headers = { cookie: signIn.headers.getSetCookie()[0].split(';')[0] };
  const routes = { guarded: '/api/guarded', open: '/api/open' };
  for (const path of Object.values(routes)) {
    const check = await fetch(url + path, { headers });
    if (check.status !== 200) throw new Error(`${path} answered ${check.status}, not 200`);
  }
  const load = (path, duration) => autocannon({ url: url + path, connections, duration, headers });
  const cpuNow = () =>
    new Promise((resolve) => {
      child.once('message', ({ cpu }) => resolve(cpu.user + cpu.system));
      child.send('cpu');
    });

  const totals = { guarded: [], open: [] };
  const p99 = { guarded: [], open: [] };
  const cpuPerRequest = { guarded: [], open: [] };
  console.log(`Nest ${connections} connections, ${warmup} s warm-up + ${seconds} s per route, ${rounds} round(s), Node ${process.version}`);
  for (let round = 0; round < rounds; round++) {
    // Alternate the order so neither route always runs on a warmer process.
    const order = round % 2 === 0 ? ['open', 'guarded'] : ['guarded', 'open'];
    for (const name of order) {
      await load(routes[name], warmup);
      const cpuBefore = await cpuNow();
      const result = await load(routes[name], seconds);
      const cpuMicros = (await cpuNow()) - cpuBefore;
      if (result.non2xx > 0 || result.errors > 0) {
        throw new Error(`${name}: ${result.non2xx} non-2xx answers and ${result.errors} errors during the run`);
      }
      totals[name].push(result.requests.average);
      p99[name].push(result.latency.p99);
      cpuPerRequest[name].push(cpuMicros / result.requests.total);
      console.log(
        `  round ${round + 1} ${name.padEnd(7)} ${Math.round(result.requests.average)} req/s, ${(cpuMicros / result.requests.total).toFixed(0)} µs CPU/request`,
      );
    }
  }
  const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;
  for (const name of ['open', 'guarded']) {
    const label = name === 'open' ? '@Public() route (no guard work)' : 'PaymoAuthGuard, cookie session';
    console.log(
      `${label.padEnd(34)} ${Math.round(mean(totals[name])).toString().padStart(7)} req/s   p99 ${mean(p99[name]).toFixed(1)} ms   ` +
        `${mean(cpuPerRequest[name]).toFixed(0)} µs CPU/request`,
    );
  }
  console.log(`guarded / open, requests/s: ${(mean(totals.guarded) / mean(totals.open)).toFixed(2)}x`);
  console.log(`guarded / open, by CPU per request (open ÷ guarded): ${(mean(cpuPerRequest.open) / mean(cpuPerRequest.guarded)).toFixed(2)}x`);
} finally {
  child.send('stop');
  await new Promise((resolve) => child.once('exit', resolve));
}
