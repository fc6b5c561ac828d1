#!/usr/bin/env node
// `npm run demo`: starts the fake Paymo API, the Express example (serving the built React example) and
// the Nest example, checks each once over HTTP (sign-in by password and API key, sign-out, a wrong
// password), prints where to go and how to sign in, and keeps running for a person to try it.
// Ctrl-C (SIGINT), SIGTERM or a closed terminal (SIGHUP) stops everything it started.
//
// Environment: PAYMO_FAKE_PORT, EXPRESS_PORT, NEST_PORT (default 4010, 3000, 3001; a busy port or 0
// means any free one), DEMO_VERBOSE=1 (show the servers' own output, one line per Paymo request
// included), DEMO_EXIT_AFTER_WALKTHROUGH=1 (stop after the checks; exit code 1 if one failed).
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const host = '127.0.0.1';
const verbose = process.env.DEMO_VERBOSE === '1';
const log = (line = '') => console.log(line);

/** The preferred port if it is free, else (or for 0) one the system picks. */
function pickPort(preferred) {
  const listen = (port) =>
    new Promise((resolve, reject) => {
      const probe = createServer();
      probe.once('error', reject);
      probe.listen(port, host, () => {
        const { port: got } = probe.address();
        probe.close(() => resolve(got));
      });
    });
  return preferred > 0 ? listen(preferred).catch(() => listen(0)) : listen(0);
}

function portFromEnv(name, fallback) {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`[demo] ${name} must be a port number (0 for any free one), not "${value}"`);
    process.exit(2);
  }
  return port;
}

const children = [];
let stopping = false;

/** Starts a built server; its output is kept (and shown if it dies, or with DEMO_VERBOSE=1). */
function start(name, script, args, env) {
  const child = spawn(process.execPath, [join(root, script), ...args], {
    cwd: root,
    env: { ...process.env, HOST: host, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const recent = [];
  const collect = (stream) => (chunk) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      recent.push(line);
      if (recent.length > 30) recent.shift();
      if (verbose) stream.write(`[${name}] ${line}\n`);
    }
  };
  child.stdout.on('data', collect(process.stdout));
  child.stderr.on('data', collect(process.stderr));
  child.on('error', (error) => console.error(`[demo] ${name} could not start: ${error.message}`));
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`[demo] ${name} stopped by itself (${signal ?? `exit code ${code}`}); its last output:`);
    for (const line of recent) console.error(`  [${name}] ${line}`);
    void stop(1);
  });
  children.push(child);
  return child;
}

async function waitFor(url, name, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!stopping) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(2_000) });
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`${name} did not answer at ${url} within ${timeoutMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** Stops every child (SIGTERM, then SIGKILL after 5 s) and exits once all of them are gone. */
async function stop(code) {
  if (stopping) return;
  stopping = true;
  const running = children.filter((child) => child.exitCode === null && child.signalCode === null);
  const exited = running.map((child) => new Promise((resolve) => child.once('exit', resolve)));
  for (const child of running) child.kill('SIGTERM');
  const killer = setTimeout(() => {
    for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }, 5_000);
  await Promise.all(exited);
  clearTimeout(killer);
  process.exit(code);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (!stopping) log('\n[demo] stopping…');
    void stop(0);
  });
}

/** One app's auth routes over real HTTP, as a browser would use them. Returns whether all went as expected. */
async function walkthrough(name, appUrl, accounts) {
  const call = async (method, path, { body, cookie } = {}) => {
    const res = await fetch(appUrl + path, {
      method,
      headers: { accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}), ...(cookie ? { cookie } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await res.json().catch(() => ({}));
    return { status: res.status, cookie: res.headers.getSetCookie()[0]?.split(';')[0], json };
  };
  let ok = true;
  const check = (passed, text) => {
    ok &&= passed;
    log(`  ${passed ? '✓' : '✗'} ${name}: ${text}`);
  };
  const attempts = [
    ['email + password', { email: accounts.admin.email, password: accounts.admin.password }, accounts.admin.name],
    ['API key', { apiKey: accounts.employee.apiKey }, accounts.employee.name],
  ];
  for (const [label, body, expectedName] of attempts) {
    const signIn = await call('POST', '/auth/sign-in', { body });
    const session = await call('GET', '/auth/session', { cookie: signIn.cookie });
    const signOut = await call('POST', '/auth/sign-out', { cookie: signIn.cookie, body: {} });
    const after = await call('GET', '/auth/session', { cookie: signIn.cookie });
    check(
      signIn.status === 200 && session.json.session?.user?.name === expectedName && signOut.status === 200 && after.json.session === null,
      `sign-in with ${label} as ${signIn.json.session?.user?.name ?? `nobody (${signIn.status} ${signIn.json.error?.code})`}, ` +
        `session ${session.json.session ? 'found' : 'missing'}, sign-out ${after.json.session === null ? 'ends it' : 'FAILED'}`,
    );
  }
  const wrong = await call('POST', '/auth/sign-in', { body: { email: accounts.admin.email, password: 'not-the-password' } });
  check(wrong.status === 401 && wrong.json.error?.code === 'INVALID_CREDENTIALS', `a wrong password is refused (${wrong.status} ${wrong.json.error?.code})`);
  return ok;
}

async function main() {
  const ports = {
    fake: await pickPort(portFromEnv('PAYMO_FAKE_PORT', 4010)),
    express: await pickPort(portFromEnv('EXPRESS_PORT', 3000)),
    nest: await pickPort(portFromEnv('NEST_PORT', 3001)),
  };
  const built = {
    fake: 'packages/fake-api/dist/cli.js',
    express: 'apps/express-example/dist/server.js',
    nest: 'apps/nest-example/dist/main.js',
  };
  const missing = Object.values(built).filter((file) => !existsSync(join(root, file)));
  if (missing.length > 0) throw new Error(`not built: ${missing.join(', ')}. Run \`npm run demo\` (it builds first) or \`npm run build\`.`);
  const reactDist = join(root, 'apps/react-example/dist');
  const hasReact = existsSync(join(reactDist, 'index.html'));

  const paymoUrl = `http://${host}:${ports.fake}/api`;
  const expressUrl = `http://${host}:${ports.express}`;
  const nestUrl = `http://${host}:${ports.nest}`;
  log('[demo] starting the fake Paymo API, the Express example and the Nest example…');
  start('paymo-fake', built.fake, ['--port', String(ports.fake), '--host', host, ...(verbose ? [] : ['--quiet'])], {});
  await waitFor(`${paymoUrl}/me`, 'the fake Paymo API');
  start('express', built.express, [], { PORT: String(ports.express), PAYMO_API_URL: paymoUrl, ...(hasReact ? { STATIC_DIR: reactDist } : {}) });
  start('nest', built.nest, [], { PORT: String(ports.nest), PAYMO_API_URL: paymoUrl });
  await Promise.all([waitFor(`${expressUrl}/auth/session`, 'the Express example'), waitFor(`${nestUrl}/auth/session`, 'the Nest example')]);
  if (stopping) return;

  const { demoAccounts } = await import(pathToFileURL(join(root, 'packages/fake-api/dist/index.js')).href);
  log('[demo] checking sign-in over HTTP:');
  const expressOk = await walkthrough('Express', expressUrl, demoAccounts);
  const nestOk = await walkthrough('Nest', nestUrl, demoAccounts);
  const ok = expressOk && nestOk;
  if (stopping) return;

  // The curl line names Jan, whom the checks above did not sign in: Paymo's quota (5 per 5 s per user)
  // of the accounts they used may be spent for a few seconds, and a line pasted at once must work.
  const { guest } = demoAccounts;
  log('');
  log(`  Open ${expressUrl}/ in a browser${hasReact ? ' (the React example, served by the Express example)' : ' (the Express example)'}.`);
  log('');
  log('  Sign in with one of these (fake Paymo accounts, never real secrets):');
  for (const [role, account] of Object.entries(demoAccounts)) {
    const note = role === 'archived' ? '   (archived: refused)' : '';
    log(`    ${account.email.padEnd(27)} ${account.password.padEnd(23)} or API key ${account.apiKey}${note}`);
  }
  log('');
  log(`  Nest example (JSON):  curl -u ${guest.apiKey}:X ${nestUrl}/me`);
  log(`  Fake Paymo API:       ${paymoUrl}`);
  log('');
  log(ok ? '  Ctrl-C stops everything.' : '  Some checks above failed (✗). Ctrl-C stops everything.');
  if (process.env.DEMO_EXIT_AFTER_WALKTHROUGH === '1') await stop(ok ? 0 : 1);
}

main().catch((error) => {
  console.error(`[demo] ${error.message}`);
  void stop(1);
});
