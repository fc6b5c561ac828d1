// `pnpm --filter @paymo/auth-express bench`: requests/s of the same authenticated route three ways, in
// one run: bare Express, paymoAuth() with a valid cookie session (memory store), and express-session
// with its MemoryStore. Each server runs in a child process; autocannon runs here. Loopback only.
// Env: BENCH_SECONDS (default 5), BENCH_WARMUP_SECONDS (2), BENCH_CONNECTIONS (20), BENCH_ROUNDS (1).
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { demoAccounts } from '@paymo/fake-api';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const warmup = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const rounds = Number(process.env.BENCH_ROUNDS ?? 1);
const serverFile = fileURLToPath(new URL('./server.ts', import.meta.url));

type Variant = 'bare' | 'paymo' | 'express-session' | 'paymo-anonymous';
const labels: Record<Variant, string> = {
  bare: 'bare Express',
  paymo: 'paymoAuth() + requirePaymoAuth(), cookie session',
  'express-session': 'express-session, MemoryStore',
  'paymo-anonymous': '(extra) paymoAuth(), public route, no cookie',
};
const serverVariant = (variant: Variant) => (variant === 'paymo-anonymous' ? 'paymo' : variant);
const path = (variant: Variant) => (variant === 'paymo-anonymous' ? '/api/public' : '/api/me');

async function startServer(variant: Variant): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(serverFile, [serverVariant(variant)], {
    execArgv: ['--import', 'tsx', '--conditions=@paymo/source'],
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message: { url: string }) => resolve(message.url));
    child.once('exit', (code) => reject(new Error(`${variant} server exited with ${code}`)));
  });
  return { child, url };
}

async function sessionCookie(variant: Variant, url: string): Promise<string | undefined> {
  // Bare Express gets a cookie of the same size, so every row parses the same request.
  if (variant === 'bare') return `paymo.sid=${'x'.repeat(43)}`;
  if (variant === 'paymo-anonymous') return undefined;
  const res =
    variant === 'paymo'
      ? await fetch(`${url}/auth/sign-in`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ email: demoAccounts.admin.email, password: demoAccounts.admin.password }),
        })
      : await fetch(`${url}/login`, { method: 'POST' });
  if (!res.ok) throw new Error(`${variant}: sign-in answered ${res.status}`);
  return res.headers.getSetCookie()[0]!.split(';')[0];
}

async function load(url: string, cookie: string | undefined, duration: number): Promise<autocannon.Result> {
  return autocannon({ url, connections, duration, headers: cookie ? { cookie } : {} });
}

function cpuMicros(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (message: { cpuMicros?: number }) => {
      if (message.cpuMicros === undefined) return;
      child.off('message', onMessage);
      resolve(message.cpuMicros);
    };
    child.on('message', onMessage);
    child.send('cpu-stop');
  });
}

async function measure(variant: Variant): Promise<{ rps: number; p99: number; cpuPerRequest: number }> {
  const { child, url } = await startServer(variant);
  try {
    const cookie = await sessionCookie(variant, url);
    const target = url + path(variant);
    const check = await fetch(target, { headers: cookie ? { cookie } : {} });
    if (check.status !== 200) throw new Error(`${variant}: ${path(variant)} answered ${check.status}, not 200`);
    await load(target, cookie, warmup);
    child.send('cpu-start');
    const result = await load(target, cookie, seconds);
    const cpu = await cpuMicros(child);
    if (result.non2xx > 0 || result.errors > 0) {
      throw new Error(`${variant}: ${result.non2xx} non-2xx answers and ${result.errors} errors during the run`);
    }
    return { rps: result.requests.average, p99: result.latency.p99, cpuPerRequest: cpu / result.requests.total };
  } finally {
    child.send('stop');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

const variants: Variant[] = ['bare', 'paymo', 'express-session', 'paymo-anonymous'];
const totals = new Map<Variant, { rps: number[]; p99: number[]; cpu: number[] }>(variants.map((v) => [v, { rps: [], p99: [], cpu: [] }]));
console.log(`GET /api/me (a JSON user), ${connections} connections, ${warmup} s warm-up + ${seconds} s per variant, ${rounds} round(s), Node ${process.version}`);
for (let round = 0; round < rounds; round++) {
  for (const variant of variants) {
    const { rps, p99, cpuPerRequest } = await measure(variant);
    totals.get(variant)!.rps.push(rps);
    totals.get(variant)!.p99.push(p99);
    totals.get(variant)!.cpu.push(cpuPerRequest);
  }
}
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const bare = mean(totals.get('bare')!.rps);
const bareCpu = mean(totals.get('bare')!.cpu);
console.log('');
console.log('| variant | requests/s | vs bare | p99 ms | server CPU µs/request | bare CPU / this CPU |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const variant of variants) {
  const { rps, p99, cpu } = totals.get(variant)!;
  const row = [labels[variant], Math.round(mean(rps)), `${(mean(rps) / bare).toFixed(2)}x`, mean(p99).toFixed(1), Math.round(mean(cpu)), `${(bareCpu / mean(cpu)).toFixed(2)}x`];
  console.log(`| ${row.join(' | ')} |`);
}
console.log('\nrequests/s depends on what else the machine runs; CPU per request much less so (its ratio is the');
console.log('throughput ratio one core would reach with nothing else running).');
