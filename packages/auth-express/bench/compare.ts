// `pnpm --filter @paymo/auth-express bench`: requests/s of the same route three ways, in one run: bare
// Express, paymoAuth() + requirePaymoAuth() with a valid cookie session (memory store), and
// express-session with its MemoryStore (plus, for information, paymoAuth() on a public route without a
// cookie). Each server runs in its own child process; autocannon runs here. Loopback only.
//
// The variants are measured in interleaved 1 s slices (bare, paymo, express-session, ... again), so
// that a neighbour's load on a shared machine hits every variant alike; ratios are per slice, then the
// median. Env: BENCH_SECONDS per variant (default 5), BENCH_WARMUP_SECONDS (2), BENCH_CONNECTIONS (20).
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { demoAccounts } from '@paymo/fake-api';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const warmup = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const serverFile = fileURLToPath(new URL('./server.ts', import.meta.url));

type Variant = 'bare' | 'paymo' | 'express-session' | 'paymo-anonymous';
const variants: Variant[] = ['bare', 'paymo', 'express-session', 'paymo-anonymous'];
const labels: Record<Variant, string> = {
  bare: 'bare Express',
  paymo: 'paymoAuth() + requirePaymoAuth(), cookie session',
  'express-session': 'express-session, MemoryStore',
  'paymo-anonymous': '(extra) paymoAuth(), public route, no cookie',
};

interface Target {
  variant: Variant;
  child: ChildProcess;
  url: string;
  cookie: string | undefined;
  rps: number[];
  cpuPerRequest: number[];
}

async function startServer(variant: Variant): Promise<{ child: ChildProcess; origin: string }> {
  const child = fork(serverFile, [variant === 'paymo-anonymous' ? 'paymo' : variant], {
    execArgv: ['--import', 'tsx', '--conditions=@paymo/source'],
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'], // express-session's MemoryStore warning goes nowhere
  });
  const origin = await new Promise<string>((resolve, reject) => {
    child.once('message', (message: { url: string }) => resolve(message.url));
    child.once('exit', (code) => reject(new Error(`${variant} server exited with ${code}`)));
  });
  return { child, origin };
}

async function sessionCookie(variant: Variant, origin: string): Promise<string | undefined> {
  // Bare Express gets a cookie of the same size, so every row parses the same request.
  if (variant === 'bare') return `paymo.sid=${'x'.repeat(43)}`;
  if (variant === 'paymo-anonymous') return undefined;
  const res =
    variant === 'paymo'
      ? await fetch(`${origin}/auth/sign-in`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ email: demoAccounts.admin.email, password: demoAccounts.admin.password }),
        })
      : await fetch(`${origin}/login`, { method: 'POST' });
  if (!res.ok) throw new Error(`${variant}: sign-in answered ${res.status}`);
  return res.headers.getSetCookie()[0]!.split(';')[0];
}

async function prepare(variant: Variant): Promise<Target> {
  const { child, origin } = await startServer(variant);
  const cookie = await sessionCookie(variant, origin);
  const url = origin + (variant === 'paymo-anonymous' ? '/api/public' : '/api/me');
  const check = await fetch(url, { headers: cookie ? { cookie } : {} });
  if (check.status !== 200) throw new Error(`${variant}: ${url} answered ${check.status}, not 200`);
  return { variant, child, url, cookie, rps: [], cpuPerRequest: [] };
}

function ask(child: ChildProcess, message: string): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (answer: { cpuMicros?: number }) => {
      if (answer.cpuMicros === undefined) return;
      child.off('message', onMessage);
      resolve(answer.cpuMicros);
    };
    child.on('message', onMessage);
    child.send(message);
  });
}

async function slice(target: Target, duration: number, record: boolean): Promise<void> {
  if (record) target.child.send('cpu-start');
  const result = await autocannon({ url: target.url, connections, duration, headers: target.cookie ? { cookie: target.cookie } : {} });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${target.variant}: ${result.non2xx} non-2xx answers and ${result.errors} errors`);
  }
  const cpu = await ask(target.child, 'cpu-stop');
  if (!record) return;
  target.rps.push(result.requests.total / duration);
  target.cpuPerRequest.push(cpu / result.requests.total);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const targets: Target[] = [];
try {
  for (const variant of variants) targets.push(await prepare(variant));
  console.log(`GET /api/me (JSON), ${connections} connections, ${warmup} s warm-up, then ${seconds} x 1 s interleaved per variant; Node ${process.version}`);
  for (const target of targets) await slice(target, warmup, false);
  for (let round = 0; round < seconds; round++) for (const target of targets) await slice(target, 1, true);

  const bare = targets[0]!;
  console.log('');
  console.log('| variant | requests/s (median) | vs bare (median of slices) | server CPU µs/request | bare CPU / this CPU |');
  console.log('|---|---:|---:|---:|---:|');
  for (const target of targets) {
    const ratio = median(target.rps.map((rps, i) => rps / bare.rps[i]!));
    const cpu = median(target.cpuPerRequest);
    const row = [labels[target.variant], Math.round(median(target.rps)), `${ratio.toFixed(2)}x`, cpu.toFixed(1), `${(median(bare.cpuPerRequest) / cpu).toFixed(2)}x`];
    console.log(`| ${row.join(' | ')} |`);
  }
  console.log('\nPer-slice requests/s:');
  for (const target of targets) console.log(`  ${target.variant.padEnd(16)} ${target.rps.map((rps) => Math.round(rps)).join(' ')}`);
} finally {
  await Promise.all(targets.map((target) => new Promise((resolve) => (target.child.once('exit', resolve), target.child.send('stop')))));
}
