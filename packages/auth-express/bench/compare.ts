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

type Variant = 'bare' | 'paymo' | 'express-session';
const labels: Record<Variant, string> = {
  bare: 'bare Express',
  paymo: 'paymoAuth() cookie session',
  'express-session': 'express-session MemoryStore',
};

async function startServer(variant: Variant): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(serverFile, [variant], {
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
  if (variant === 'bare') return undefined;
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
  return autocannon({ url: `${url}/api/me`, connections, duration, headers: cookie ? { cookie } : {} });
}

async function measure(variant: Variant): Promise<{ rps: number; p99: number }> {
  const { child, url } = await startServer(variant);
  try {
    const cookie = await sessionCookie(variant, url);
    const check = await fetch(`${url}/api/me`, { headers: cookie ? { cookie } : {} });
    if (check.status !== 200) throw new Error(`${variant}: /api/me answered ${check.status}, not 200`);
    await load(url, cookie, warmup);
    const result = await load(url, cookie, seconds);
    if (result.non2xx > 0 || result.errors > 0) {
      throw new Error(`${variant}: ${result.non2xx} non-2xx answers and ${result.errors} errors during the run`);
    }
    return { rps: result.requests.average, p99: result.latency.p99 };
  } finally {
    child.send('stop');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

const variants: Variant[] = ['bare', 'paymo', 'express-session'];
const totals = new Map<Variant, { rps: number[]; p99: number[] }>(variants.map((v) => [v, { rps: [], p99: [] }]));
console.log(`GET /api/me, ${connections} connections, ${warmup} s warm-up + ${seconds} s per variant, ${rounds} round(s), Node ${process.version}`);
for (let round = 0; round < rounds; round++) {
  for (const variant of variants) {
    const { rps, p99 } = await measure(variant);
    totals.get(variant)!.rps.push(rps);
    totals.get(variant)!.p99.push(p99);
  }
}
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const bare = mean(totals.get('bare')!.rps);
console.log('');
console.log('| variant | requests/s | p99 ms | vs bare |');
console.log('|---|---:|---:|---:|');
for (const variant of variants) {
  const { rps, p99 } = totals.get(variant)!;
  console.log(`| ${labels[variant]} | ${Math.round(mean(rps))} | ${mean(p99).toFixed(1)} | ${(mean(rps) / bare).toFixed(2)}x |`);
}
