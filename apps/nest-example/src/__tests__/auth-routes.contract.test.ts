import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakePaymo, demoAccounts } from '@paymo/fake-api';
import { createApp as createExpressApp } from '../../../express-example/src/app.js';
import { AppModule } from '../app.module.js';
import { APP_CONFIG, configureApp, type AppConfig } from '../config.js';

// One contract, every server: the same requests against the Express and the Nest example apps must get
// the same answers on the auth routes (status, body shape, cookies and their attributes, the headers
// the React client and API clients read). To add a server, add one line to `servers`.

type Fake = Awaited<ReturnType<typeof createFakePaymo>>;

interface RunningApp {
  origin: string;
  /** A route of the app that needs a signed-in user. */
  protectedPath: string;
  close(): Promise<void>;
}

const servers: Array<[name: string, start: (fake: Fake) => Promise<RunningApp>]> = [
  ['express-example', startExpressExample],
  ['nest-example', startNestExample],
];

async function startExpressExample(fake: Fake): Promise<RunningApp> {
  const app = createExpressApp({ paymoApiUrl: fake.url, trustProxy: 'loopback' });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    protectedPath: '/api/me',
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await app.locals.paymoAuth.close();
    },
  };
}

async function startNestExample(fake: Fake): Promise<RunningApp> {
  const config: AppConfig = { port: 0, host: '127.0.0.1', paymoApiUrl: fake.url, trustProxy: 'loopback' };
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).overrideProvider(APP_CONFIG).useValue(config).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false });
  configureApp(app, config);
  await app.listen(0, '127.0.0.1');
  return { origin: await app.getUrl(), protectedPath: '/me', close: () => app.close() };
}

const { admin, employee } = demoAccounts;
// Looser than the fake's default quota (5 per 5 s) on purpose: these tests make many Paymo calls per
// test and check other behaviour; the quota itself is tested in quota.test.ts files.
const CONTRACT_QUOTA = { limit: 100, decayPeriodSeconds: 10 };

/** One request of the contract; `cookie` sends the session cookie of an earlier step by its name. */
interface Step {
  name: string;
  method: 'GET' | 'POST' | 'DELETE';
  path: string | ((app: RunningApp) => string);
  json?: unknown;
  raw?: { body: string; type?: string };
  headers?: Record<string, string> | ((app: RunningApp) => Record<string, string>);
  cookie?: string;
  /** Keep the session cookie this step sets under that name. */
  saveCookie?: string;
  /** What the Express reference must answer, so that two equally broken servers cannot pass. */
  status: number;
  before?: (fake: Fake) => void;
}

const steps: Step[] = [
  { name: 'session, signed out', method: 'GET', path: '/auth/session', status: 200 },
  { name: 'sessions, signed out', method: 'GET', path: '/auth/sessions', status: 401 },
  { name: 'protected route, signed out', method: 'GET', path: (app) => app.protectedPath, headers: { Accept: 'application/json' }, status: 401 },
  { name: 'sign-in, wrong password', method: 'POST', path: '/auth/sign-in', json: { email: admin.email, password: 'wrong-password' }, status: 401 },
  { name: 'sign-in, cross-origin', method: 'POST', path: '/auth/sign-in', json: { apiKey: admin.apiKey }, headers: { Origin: 'https://evil.example' }, status: 403 },
  { name: 'sign-in, invalid JSON', method: 'POST', path: '/auth/sign-in', raw: { body: '{"apiKey":', type: 'application/json' }, status: 400 },
  { name: 'sign-in, form body', method: 'POST', path: '/auth/sign-in', raw: { body: 'apiKey=x', type: 'application/x-www-form-urlencoded' }, status: 415 },
  { name: 'sign-in, oversized body', method: 'POST', path: '/auth/sign-in', json: { email: admin.email, password: 'p'.repeat(200_000) }, status: 413 },
  { name: 'sign-in, wrong types', method: 'POST', path: '/auth/sign-in', json: { email: 42, password: ['x'] }, status: 400 },
  { name: 'sign-in, GET', method: 'GET', path: '/auth/sign-in', status: 405 },
  { name: 'unknown auth route', method: 'GET', path: '/auth/nope', status: 404 },
  { name: 'sign-in, email and password', method: 'POST', path: '/auth/sign-in', json: { email: admin.email, password: admin.password }, saveCookie: 'admin', status: 200 },
  { name: 'sign-in, API key', method: 'POST', path: '/auth/sign-in', json: { apiKey: employee.apiKey }, saveCookie: 'employee', status: 200 },
  { name: 'sign-in behind a trusted TLS proxy', method: 'POST', path: '/auth/sign-in', json: { apiKey: employee.apiKey }, headers: (app) => ({ 'X-Forwarded-Proto': 'https', Origin: app.origin.replace('http:', 'https:') }), status: 200 },
  { name: 'session, signed in', method: 'GET', path: '/auth/session', cookie: 'admin', status: 200 },
  { name: 'protected route, signed in', method: 'GET', path: (app) => app.protectedPath, cookie: 'admin', status: 200 },
  { name: 'sessions, signed in', method: 'GET', path: '/auth/sessions', cookie: 'admin', status: 200 },
  { name: 'Paymo proxy, projects with tasks', method: 'GET', path: '/auth/paymo/projects?include=tasks', cookie: 'admin', status: 200 },
  { name: 'Paymo proxy, as another user', method: 'GET', path: '/auth/paymo/projects', cookie: 'employee', status: 200 },
  { name: 'Paymo proxy, off the list', method: 'GET', path: '/auth/paymo/sessions', cookie: 'admin', status: 403 },
  { name: 'Paymo proxy, signed out', method: 'GET', path: '/auth/paymo/projects', status: 401 },
  { name: 'Paymo proxy, cross-site write', method: 'POST', path: '/auth/paymo/entries', json: { task_id: 1 }, cookie: 'admin', headers: { Origin: 'https://evil.example' }, status: 403 },
  // A 60 s window: longer than the client's maximum wait (15 s), so the list answers the typed 429 at once
  // (a shorter one is waited out, and the list answers 200).
  {
    name: 'session, Paymo rate limit',
    method: 'GET',
    path: '/auth/sessions',
    cookie: 'admin',
    before: (fake) => {
      fake.rateLimit.configure({ limit: 5, decayPeriodSeconds: 60 });
      fake.rateLimit.exhaust(admin.id);
    },
    status: 429,
  },
  { name: 'sign-out, no JSON body', method: 'POST', path: '/auth/sign-out', cookie: 'admin', before: (fake) => fake.rateLimit.configure(CONTRACT_QUOTA), status: 415 },
  { name: 'sign-out', method: 'POST', path: '/auth/sign-out', json: {}, cookie: 'admin', status: 200 },
  { name: 'session after sign-out', method: 'GET', path: '/auth/session', cookie: 'admin', status: 200 },
  { name: 'sign-out again', method: 'POST', path: '/auth/sign-out', json: {}, cookie: 'admin', status: 200 },
  { name: 'sign-out-everywhere', method: 'POST', path: '/auth/sign-out-everywhere', json: {}, cookie: 'employee', status: 200 },
  { name: 'session after sign-out-everywhere', method: 'GET', path: '/auth/session', cookie: 'employee', status: 200 },
];

interface Answer {
  status: number;
  headers: Record<string, string | null>;
  cookies: Array<{ name: string; value: string; attributes: string[] }>;
  body: unknown;
}

const comparedHeaders = ['content-type', 'cache-control', 'www-authenticate', 'retry-after', 'allow'];

/** Replaces what legitimately differs between two runs (random ids, clock readings) with placeholders. */
function normalise(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => normalise(item));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v, k)]));
  }
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) return '<timestamp>';
  if (typeof value === 'string' && ['handle', 'ip'].includes(key)) return `<${key}>`;
  return value;
}

async function runContract(app: RunningApp, fake: Fake): Promise<Answer[]> {
  const jar = new Map<string, string>();
  const answers: Answer[] = [];
  for (const step of steps) {
    step.before?.(fake);
    const headers: Record<string, string> = typeof step.headers === 'function' ? step.headers(app) : { ...step.headers };
    let body: string | undefined;
    if (step.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(step.json);
    } else if (step.raw) {
      if (step.raw.type) headers['Content-Type'] = step.raw.type;
      body = step.raw.body;
    }
    if (step.cookie) headers.Cookie = jar.get(step.cookie) ?? '';
    const path = typeof step.path === 'function' ? step.path(app) : step.path;
    const res = await fetch(app.origin + path, { method: step.method, headers, body });
    const setCookies = res.headers.getSetCookie();
    if (step.saveCookie) jar.set(step.saveCookie, setCookies[0]!.split(';')[0]!);
    const text = await res.text();
    answers.push({
      status: res.status,
      headers: Object.fromEntries(
        comparedHeaders.map((name) => [name, name === 'retry-after' && res.headers.has(name) ? '<seconds>' : res.headers.get(name)]),
      ),
      cookies: setCookies.map((line) => {
        const [pair, ...attributes] = line.split(';').map((part) => part.trim());
        const [name, value] = pair!.split('=') as [string, string];
        const attrs = attributes.map((a) => (/^expires=/i.test(a) ? `${a.split('=')[0]}=<date>` : a)).sort();
        return { name, value: value ? '<value>' : '', attributes: attrs };
      }),
      // Only the auth routes promise identical bodies; app routes promise the status and headers.
      body: path.startsWith('/auth/') || res.status >= 400 ? normalise(text ? JSON.parse(text) : null) : '<app body>',
    });
  }
  return answers;
}

const transcripts = new Map<string, Answer[]>();

beforeAll(async () => {
  for (const [name, start] of servers) {
    const fake = await createFakePaymo({ rateLimit: CONTRACT_QUOTA });
    const app = await start(fake);
    try {
      transcripts.set(name, await runContract(app, fake));
    } finally {
      await app.close();
      await fake.close();
    }
  }
}, 60_000);
afterAll(() => transcripts.clear());

describe.each(servers.slice(1).map(([name]) => name))('%s answers the auth contract like express-example', (name) => {
  it.each(steps.map((step, index) => [step.name, index] as const))('%s', (_label, index) => {
    const reference = transcripts.get(servers[0]![0])![index]!;
    expect(reference.status).toBe(steps[index]!.status);
    expect(transcripts.get(name)![index]).toEqual(reference);
  });
});
