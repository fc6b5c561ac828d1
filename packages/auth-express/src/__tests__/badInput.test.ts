import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { demoAccounts } from '@paymo/fake-api';
import { PaymoAuthErrorCode } from '@paymo/auth-core';
import { expressVersions, sessionCookie, startStack, type Stack } from './harness.js';

const { admin } = demoAccounts;
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const codes = new Set<string>(Object.values(PaymoAuthErrorCode));

interface Entry {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  /** A raw string body (sent as is) or a value sent as JSON. */
  body?: unknown;
  raw?: string;
  /** Values the client sent that must never come back or be logged. */
  secrets: string[];
  status?: number;
}

const longValue = 'A'.repeat(8_000);
const table: Entry[] = [
  { name: 'cookie: not base64url', method: 'GET', path: '/api/me', headers: { Cookie: 'paymo.sid=%%%not-a-value%%%' }, secrets: ['not-a-value'] },
  { name: 'cookie: empty', method: 'GET', path: '/api/me', headers: { Cookie: 'paymo.sid=' }, secrets: [] },
  { name: 'cookie: huge', method: 'GET', path: '/api/me', headers: { Cookie: `paymo.sid=${longValue}` }, secrets: [longValue] },
  { name: 'cookie: duplicated', method: 'GET', path: '/api/me', headers: { Cookie: 'paymo.sid=aaaaaaaaaaaaaaaaaaaa; paymo.sid=bbbbbbbbbbbbbbbbbbbbbb' }, secrets: ['aaaaaaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbbbbbbbb'] },
  { name: 'cookie: well-formed but unknown', method: 'GET', path: '/api/me', headers: { Cookie: `paymo.sid=${'x'.repeat(43)}` }, secrets: ['x'.repeat(43)] },
  { name: 'cookie: bad percent-encoding', method: 'GET', path: '/api/me', headers: { Cookie: 'paymo.sid=%C0%AFsecretish' }, secrets: ['secretish'] },
  { name: 'cookie header: garbage', method: 'GET', path: '/api/me', headers: { Cookie: ';;;===;=;paymo.sid' }, secrets: [] },
  { name: 'basic: not base64', method: 'GET', path: '/api/me', headers: { Authorization: 'Basic !!!not*base64!!!' }, secrets: ['not*base64'] },
  { name: 'basic: empty', method: 'GET', path: '/api/me', headers: { Authorization: 'Basic ' }, secrets: [] },
  { name: 'basic: no colon', method: 'GET', path: '/api/me', headers: { Authorization: `Basic ${b64('justapasswordlikething')}` }, secrets: ['justapasswordlikething'] },
  { name: 'basic: control characters', method: 'GET', path: '/api/me', headers: { Authorization: `Basic ${b64('mi\u0000chael:pa\u0007ss-ctl-secret')}` }, secrets: ['ss-ctl-secret'] },
  { name: 'basic: huge', method: 'GET', path: '/api/me', headers: { Authorization: `Basic ${b64(`${admin.email}:${longValue}`)}` }, secrets: [longValue] },
  { name: 'basic: wrong password', method: 'GET', path: '/api/me', headers: { Authorization: `Basic ${b64(`${admin.email}:wrong-secret-pw`)}` }, secrets: ['wrong-secret-pw'] },
  { name: 'authorization: unknown scheme', method: 'GET', path: '/api/me', headers: { Authorization: 'Bearer eyJ-some-bearer-secret' }, secrets: ['eyJ-some-bearer-secret'] },
  { name: 'x-session: not hex', method: 'GET', path: '/api/me', headers: { 'X-Session': 'zz-not-hex-token-zz' }, secrets: ['zz-not-hex-token-zz'] },
  { name: 'x-session: huge', method: 'GET', path: '/api/me', headers: { 'X-Session': longValue }, secrets: [longValue] },
  { name: 'x-session: empty', method: 'GET', path: '/api/me', headers: { 'X-Session': '' }, secrets: [] },
  { name: 'x-session: unknown token', method: 'GET', path: '/api/me', headers: { 'X-Session': 'e'.repeat(32) }, secrets: ['e'.repeat(32)] },
  { name: 'sign-in: invalid JSON', method: 'POST', path: '/auth/sign-in', raw: `{"email":"${admin.email}","password":"broken-json-secret`, headers: { 'Content-Type': 'application/json' }, secrets: ['broken-json-secret'] },
  { name: 'sign-in: JSON array', method: 'POST', path: '/auth/sign-in', body: [admin.email, 'array-secret'], secrets: ['array-secret'] },
  { name: 'sign-in: JSON string', method: 'POST', path: '/auth/sign-in', raw: '"string-secret"', headers: { 'Content-Type': 'application/json' }, secrets: ['string-secret'] },
  { name: 'sign-in: JSON null', method: 'POST', path: '/auth/sign-in', raw: 'null', headers: { 'Content-Type': 'application/json' }, secrets: [] },
  { name: 'sign-in: empty body', method: 'POST', path: '/auth/sign-in', raw: '', headers: { 'Content-Type': 'application/json' }, secrets: [] },
  { name: 'sign-in: empty object', method: 'POST', path: '/auth/sign-in', body: {}, secrets: [] },
  { name: 'sign-in: email is a number', method: 'POST', path: '/auth/sign-in', body: { email: 123, password: 'num-secret' }, secrets: ['num-secret'] },
  { name: 'sign-in: password is an object', method: 'POST', path: '/auth/sign-in', body: { email: admin.email, password: { value: 'obj-secret' } }, secrets: ['obj-secret'] },
  { name: 'sign-in: apiKey is an array', method: 'POST', path: '/auth/sign-in', body: { apiKey: ['arr-key-secret'] }, secrets: ['arr-key-secret'] },
  { name: 'sign-in: apiKey empty', method: 'POST', path: '/auth/sign-in', body: { apiKey: '' }, secrets: [] },
  { name: 'sign-in: both kinds at once', method: 'POST', path: '/auth/sign-in', body: { email: admin.email, password: 'both-secret', apiKey: admin.apiKey }, secrets: ['both-secret', admin.apiKey] },
  { name: 'sign-in: control characters', method: 'POST', path: '/auth/sign-in', body: { email: 'a\u0000@b.c', password: 'ctl\u0001-secret' }, secrets: ['-secret'] },
  { name: 'sign-in: __proto__ key', method: 'POST', path: '/auth/sign-in', raw: '{"__proto__":{"apiKey":"proto-secret"}}', headers: { 'Content-Type': 'application/json' }, secrets: ['proto-secret'] },
  { name: 'sign-in: wrong password', method: 'POST', path: '/auth/sign-in', body: { email: admin.email, password: 'a-wrong-secret' }, secrets: ['a-wrong-secret'] },
  { name: 'sign-in: huge value', method: 'POST', path: '/auth/sign-in', body: { email: admin.email, password: 'p'.repeat(1_000_000) }, secrets: ['p'.repeat(64)] },
  { name: 'sign-in: text/plain', method: 'POST', path: '/auth/sign-in', raw: JSON.stringify({ apiKey: 'plain-secret' }), headers: { 'Content-Type': 'text/plain' }, secrets: ['plain-secret'] },
  { name: 'sign-in: form encoded', method: 'POST', path: '/auth/sign-in', raw: 'apiKey=form-secret', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, secrets: ['form-secret'] },
  { name: 'sign-in: no content type', method: 'POST', path: '/auth/sign-in', raw: '{"apiKey":"nct-secret"}', secrets: ['nct-secret'] },
  { name: 'sign-in: GET', method: 'GET', path: '/auth/sign-in', secrets: [] },
  { name: 'sign-out: GET', method: 'GET', path: '/auth/sign-out', secrets: [] },
  { name: 'sign-out-everywhere: signed out', method: 'POST', path: '/auth/sign-out-everywhere', body: {}, secrets: [] },
  { name: 'sessions: signed out', method: 'GET', path: '/auth/sessions', secrets: [] },
];

describe.each(expressVersions)('bad input on %s', (_name, lib) => {
  let stack: Stack;
  let consoleSpies: MockInstance[];
  const printed = () => consoleSpies.flatMap((spy) => spy.mock.calls.map((args) => args.map(String).join(' '))).join('\n');

  beforeAll(async () => {
    stack = await startStack(lib);
  });
  afterAll(() => stack.close());
  beforeEach(() => {
    consoleSpies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) => vi.spyOn(console, level));
  });
  afterEach(() => vi.restoreAllMocks());

  it.each(table.map((entry) => [entry.name, entry] as const))('%s -> a typed 4xx, nothing leaked', async (_label, entry) => {
    const liveTokens = [admin, demoAccounts.employee].flatMap((user) => stack.fake.sessions.list(user.id).map((s) => s.id));
    let req = request(stack.server)[entry.method === 'GET' ? 'get' : 'post'](entry.path).timeout({ deadline: 5_000 });
    for (const [name, value] of Object.entries(entry.headers ?? {})) req = req.set(name, value);
    if (entry.raw !== undefined) req = req.send(entry.raw);
    else if (entry.body !== undefined) req = req.send(entry.body as object);
    const res = await req;

    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(codes.has(res.body?.error?.code)).toBe(true);
    expect(res.body.error.message).toEqual(expect.any(String));
    const visible = [res.text, JSON.stringify(res.headers), JSON.stringify(stack.logs), printed()].join('\n');
    for (const secret of [...entry.secrets, ...liveTokens, admin.password]) {
      if (secret) expect(visible.includes(secret), `leaked ${secret.slice(0, 12)}...`).toBe(false);
    }
  });

  it('caps a chunked body it has to read itself, without hanging', async () => {
    const { port } = stack.server.address() as AddressInfo;
    const status = await new Promise<number>((resolve, reject) => {
      let answered = false;
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/auth/sign-in', headers: { 'Content-Type': 'application/json' } });
      req.on('response', (res) => {
        answered = true;
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', (error) => (answered ? undefined : reject(error)));
      req.write(`{"email":"${admin.email}","password":"`);
      const chunk = 'c'.repeat(64 * 1024);
      let sent = 0;
      const pump = (): void => {
        while (sent < 32 && !answered) {
          sent++;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end('"}');
      };
      pump();
    });
    expect(status).toBe(413);
  });

  it('answers TRACE and PUT on auth routes with a typed 405 JSON and Allow, not a 500', async () => {
    const { port } = stack.server.address() as AddressInfo;
    for (const [method, path, allow] of [['TRACE', '/auth/session', 'GET'], ['TRACE', '/auth/sign-in', 'POST'], ['PUT', '/auth/sign-out', 'POST']]) {
      const res = await new Promise<{ status: number; allow: unknown; body: string }>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, method, path }, (answer) => {
          let body = '';
          answer.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
          answer.on('end', () => resolve({ status: answer.statusCode ?? 0, allow: answer.headers.allow, body }));
        });
        req.on('error', reject);
        req.end();
      });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(JSON.parse(res.body)).toEqual({ error: { code: 'METHOD_NOT_ALLOWED', message: expect.any(String) } });
      expect(res.allow).toBe(allow);
    }
  });

  it('never logs or returns a password, token or cookie value through a whole session', async () => {
    stack.logs.length = 0;
    const signIn = await request(stack.server).post('/auth/sign-in').send({ email: admin.email, password: admin.password }).expect(200);
    const cookie = sessionCookie(signIn.headers['set-cookie']);
    const cookieValue = cookie.split('=')[1]!;
    await request(stack.server).get('/api/me').set('Cookie', cookie).expect(200);
    const sessions = await request(stack.server).get('/auth/sessions').set('Cookie', cookie).expect(200);
    const tokens = stack.fake.sessions.list(admin.id).map((s) => s.id);
    await request(stack.server).post('/auth/sign-out').set('Cookie', cookie).send({}).expect(200);
    const visible = [JSON.stringify(signIn.body), JSON.stringify(sessions.body), JSON.stringify(stack.logs), printed()].join('\n');
    for (const secret of [admin.password, admin.apiKey, cookieValue, ...tokens]) expect(visible).not.toContain(secret);
  });
});
