#!/usr/bin/env node
// `npm run demo`: starts the fake Paymo API, the Express example (serving the React example) and the
// Nest example, walks once through sign-in with each credential type against the real servers, then
// keeps everything running for a person to try. Ctrl-C stops everything it started.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const host = '127.0.0.1';
// The usual ports, or free ones when something else already listens there.
function pickPort(preferred) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => {
      const fallback = createServer();
      fallback.listen(0, host, () => {
        const { port } = fallback.address();
        fallback.close(() => resolve(port));
      });
    });
    probe.listen(preferred, host, () => probe.close(() => resolve(preferred)));
  });
}
const ports = {
  fake: await pickPort(Number(process.env.PAYMO_FAKE_PORT ?? 4010)),
  express: await pickPort(Number(process.env.EXPRESS_PORT ?? 3000)),
  nest: await pickPort(Number(process.env.NEST_PORT ?? 3001)),
};
const paymoUrl = `http://${host}:${ports.fake}/api`;
const children = [];
let stopping = false;

function start(name, script, env) {
  const file = join(root, script);
  if (!existsSync(file)) {
    console.log(`[demo] ${name}: ${script} is not built, skipping`);
    return null;
  }
  const child = spawn(process.execPath, [file, ...(env.ARGS ?? [])], {
    cwd: root,
    env: { ...process.env, HOST: host, PAYMO_API_URL: paymoUrl, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = (line) => `[${name}] ${line}`;
  child.stdout.on('data', (d) => process.stdout.write(d.toString().split('\n').filter(Boolean).map(prefix).join('\n') + '\n'));
  child.stderr.on('data', (d) => process.stderr.write(d.toString().split('\n').filter(Boolean).map(prefix).join('\n') + '\n'));
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[demo] ${name} exited (${signal ?? code}); stopping the demo`);
      stop(1);
    }
  });
  children.push(child);
  return child;
}

async function waitFor(url, name, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return true;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`${name} did not answer at ${url} within ${timeoutMs / 1000}s`);
}

function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 500).unref();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

async function walkthrough(appUrl) {
  const { demoAccounts } = await import(join(root, 'packages/fake-api/dist/index.js'));
  const call = async (method, path, { body, cookie } = {}) => {
    const res = await fetch(appUrl + path, {
      method,
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(cookie ? { cookie } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, cookie: res.headers.getSetCookie()[0]?.split(';')[0], json: await res.json() };
  };
  const admin = demoAccounts.admin;
  for (const [label, body] of [
    ['email + password', { email: admin.email, password: admin.password }],
    ['API key', { apiKey: demoAccounts.employee.apiKey }],
  ]) {
    const signIn = await call('POST', '/auth/sign-in', { body });
    console.log(`[demo] sign-in with ${label}: ${signIn.status} as ${signIn.json.session?.user?.name}, expires ${signIn.json.session?.expiresAt}`);
    const session = await call('GET', '/auth/session', { cookie: signIn.cookie });
    console.log(`[demo]   GET /auth/session with the cookie: ${session.status} ${session.json.session ? 'signed in' : 'signed out'}`);
    const signOut = await call('POST', '/auth/sign-out', { cookie: signIn.cookie, body: {} });
    const after = await call('GET', '/auth/session', { cookie: signIn.cookie });
    console.log(`[demo]   sign-out: ${signOut.status}; the old cookie now gives session=${JSON.stringify(after.json.session)}`);
  }
  const wrong = await call('POST', '/auth/sign-in', { body: { email: admin.email, password: 'wrong' } });
  console.log(`[demo] wrong password: ${wrong.status} ${wrong.json.error?.code}`);
  return demoAccounts;
}

async function main() {
  start('paymo-fake', 'packages/fake-api/dist/cli.js', { ARGS: ['--port', String(ports.fake), '--host', host] });
  await waitFor(`${paymoUrl}/me`, 'the fake Paymo API');
  const reactDist = join(root, 'apps/react-example/dist');
  const express = start('express', 'apps/express-example/dist/server.js', {
    PORT: String(ports.express),
    ...(existsSync(reactDist) ? { STATIC_DIR: reactDist } : {}),
  });
  const nest = start('nest', 'apps/nest-example/dist/main.js', { PORT: String(ports.nest) });
  if (express) await waitFor(`http://${host}:${ports.express}/auth/session`, 'the Express example');
  if (nest) await waitFor(`http://${host}:${ports.nest}/auth/session`, 'the Nest example');

  let demoAccounts;
  if (express) demoAccounts = await walkthrough(`http://${host}:${ports.express}`);
  else ({ demoAccounts } = await import(join(root, 'packages/fake-api/dist/index.js')));

  console.log('\n  Paymo auth demo is running. Ctrl-C stops it.\n');
  console.log(`  Fake Paymo API   ${paymoUrl}`);
  if (express) console.log(`  Open this:       http://${host}:${ports.express}/   (Express example${existsSync(reactDist) ? ' serving the React app' : ''})`);
  if (nest) console.log(`  Nest example     http://${host}:${ports.nest}/`);
  console.log('\n  Demo accounts (any of them can sign in; the archived one is refused):');
  for (const [role, a] of Object.entries(demoAccounts)) {
    console.log(`    ${role.padEnd(9)} ${a.email.padEnd(28)} password ${a.password.padEnd(24)} API key ${a.apiKey}`);
  }
  console.log('');
  if (process.env.DEMO_EXIT_AFTER_WALKTHROUGH === '1') stop(0);
}

main().catch((error) => {
  console.error(`[demo] ${error.message}`);
  stop(1);
});
