import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpStatusByCode, PaymoAuthErrorCode } from '@paymo/auth-core';
import { admin, createHarness, demoAccounts, type Harness } from './engineHarness.js';
import { encodeBasic } from './encodeBasic.js';
import { startNodeServer, type NodeTestServer } from './nodeServer.js';
import { rawHttp } from './rawHttp.js';

let h: Harness;
let server: NodeTestServer;
beforeAll(async () => {
  h = await createHarness();
  server = await startNodeServer(h.auth);
});
afterAll(async () => {
  expect(server.crashes).toEqual([]);
  h.assertNoSecrets(['guess', 'wrong-password']);
  await server.close();
  await h.close();
});

const codes = new Set<string>(Object.values(PaymoAuthErrorCode));
const b64 = (bytes: number[] | string) => Buffer.from(bytes as never).toString('base64');

/** Headers as a raw reader: lets control characters through, which `Headers` would refuse. */
const rawHeaders = (values: Record<string, string>) => ({
  get: (name: string) => values[name.toLowerCase()] ?? null,
});

const headerCases: Array<[string, Record<string, string>, string]> = [
  ['empty cookie value', { cookie: 'paymo.sid=' }, 'MALFORMED_CREDENTIALS'],
  ['short cookie value', { cookie: 'paymo.sid=abc' }, 'MALFORMED_CREDENTIALS'],
  ['cookie with a foreign character', { cookie: `paymo.sid=${'A'.repeat(42)}!` }, 'MALFORMED_CREDENTIALS'],
  ['quoted cookie', { cookie: `paymo.sid="${'A'.repeat(43)}"` }, 'MALFORMED_CREDENTIALS'],
  ['cookie with control characters', { cookie: `paymo.sid=${'A'.repeat(20)}\u0000\r\n${'A'.repeat(21)}` }, 'MALFORMED_CREDENTIALS'],
  ['5 KB cookie value', { cookie: `paymo.sid=${'A'.repeat(5000)}` }, 'MALFORMED_CREDENTIALS'],
  ['100 KB cookie header', { cookie: `x=${'y'.repeat(100_000)}; paymo.sid=${'A'.repeat(43)}` }, 'MALFORMED_CREDENTIALS'],
  ['well-formed unknown cookie', { cookie: `paymo.sid=${'A'.repeat(43)}` }, 'SESSION_EXPIRED'],
  ['Basic without credentials', { authorization: 'Basic' }, 'MALFORMED_CREDENTIALS'],
  ['Basic with bad base64', { authorization: 'Basic !!!not-base64!!!' }, 'MALFORMED_CREDENTIALS'],
  ['Basic with unpadded base64', { authorization: `Basic ${b64('a@b.c:pw').replace(/=+$/, '')}` }, 'MALFORMED_CREDENTIALS'],
  ['Basic without a colon', { authorization: `Basic ${b64('no-colon-here')}` }, 'MALFORMED_CREDENTIALS'],
  ['Basic with an empty username', { authorization: `Basic ${b64(':password')}` }, 'MALFORMED_CREDENTIALS'],
  ['Basic with invalid UTF-8', { authorization: `Basic ${b64([0x61, 0x40, 0x62, 0x3a, 0xff, 0xfe])}` }, 'MALFORMED_CREDENTIALS'],
  ['Basic with a control character', { authorization: `Basic ${b64('a@b.c:pa\u0000ss')}` }, 'MALFORMED_CREDENTIALS'],
  ['Basic with CR/LF in the header', { authorization: `Basic ${b64('a@b.c:x')}\r\nX-Evil: 1` }, 'MALFORMED_CREDENTIALS'],
  ['10 KB Authorization', { authorization: `Basic ${'QUFB'.repeat(2500)}` }, 'MALFORMED_CREDENTIALS'],
  ['X-Session too short', { 'x-session': 'abc' }, 'MALFORMED_CREDENTIALS'],
  ['X-Session with spaces', { 'x-session': 'abcdef0123456789 abcdef0123456789' }, 'MALFORMED_CREDENTIALS'],
  ['X-Session duplicated (joined)', { 'x-session': `${'a'.repeat(32)}, ${'b'.repeat(32)}` }, 'MALFORMED_CREDENTIALS'],
  ['X-Session with a control character', { 'x-session': `${'a'.repeat(16)}\u0007${'a'.repeat(16)}` }, 'MALFORMED_CREDENTIALS'],
  ['10 KB X-Session', { 'x-session': 'a'.repeat(10_000) }, 'MALFORMED_CREDENTIALS'],
  ['wrong password', { authorization: encodeBasic(admin.email, 'wrong-password') }, 'INVALID_CREDENTIALS'],
  ['unknown token', { 'x-session': '0'.repeat(32) }, 'INVALID_CREDENTIALS'],
];

describe('bad headers -> a typed 4xx from authenticate(), never a 500 or a rejection', () => {
  it.each(headerCases)('%s', async (_name, headers, code) => {
    const state = await h.auth.authenticate({ method: 'GET', url: 'http://app.test/x', headers: rawHeaders(headers) });
    expect(state.authenticated).toBe(false);
    if (state.authenticated) return;
    expect(state.error.code).toBe(code);
    expect(codes.has(state.error.code)).toBe(true);
    expect(state.error.status).toBe(httpStatusByCode[state.error.code]);
    expect(state.error.status).toBeGreaterThanOrEqual(400);
    expect(state.error.status).toBeLessThan(500);
    const response = h.auth.errorResponse(state.error);
    const body = await response.text();
    h.bodies.push(body);
    expect(JSON.parse(body)).toEqual({ error: { code, message: expect.any(String) } });
    if (headers.cookie?.includes('paymo.sid=')) expect(state.setCookies[0]).toMatch(/^paymo\.sid=; Max-Age=0/);
  });
});

const post = { method: 'POST', headers: { 'content-type': 'application/json' } } as const;
const bodyCases: Array<[string, string, number, string]> = [
  ['invalid JSON', '{"email":', 400, 'BAD_REQUEST'],
  ['empty body', '', 400, 'BAD_REQUEST'],
  ['whitespace body', '  \n ', 400, 'BAD_REQUEST'],
  ['null', 'null', 400, 'BAD_REQUEST'],
  ['an array', JSON.stringify([admin.email, admin.password]), 400, 'BAD_REQUEST'],
  ['a string', '"hello"', 400, 'BAD_REQUEST'],
  ['a number', '42', 400, 'BAD_REQUEST'],
  ['an empty object', '{}', 400, 'BAD_REQUEST'],
  ['email as a number', JSON.stringify({ email: 1, password: 'x' }), 400, 'BAD_REQUEST'],
  ['password null', JSON.stringify({ email: admin.email, password: null }), 400, 'BAD_REQUEST'],
  ['password as an object', JSON.stringify({ email: admin.email, password: { $ne: 1 } }), 400, 'BAD_REQUEST'],
  ['password as an array', JSON.stringify({ email: admin.email, password: ['a'] }), 400, 'BAD_REQUEST'],
  ['missing password', JSON.stringify({ email: admin.email }), 400, 'BAD_REQUEST'],
  ['an extra field', JSON.stringify({ ...admin, remember: true }), 400, 'BAD_REQUEST'],
  ['both forms at once', JSON.stringify({ ...admin, apiKey: demoAccounts.admin.apiKey }), 400, 'BAD_REQUEST'],
  ['__proto__ key', '{"__proto__":{"admin":true},"email":"a@b.c","password":"x"}', 400, 'BAD_REQUEST'],
  ['email without @', JSON.stringify({ email: 'michael', password: 'x' }), 400, 'BAD_REQUEST'],
  ['email with a colon', JSON.stringify({ email: 'a:b@c.d', password: 'x' }), 400, 'BAD_REQUEST'],
  ['email with a control character', JSON.stringify({ email: 'a\u0000@b.c', password: 'x' }), 400, 'BAD_REQUEST'],
  ['empty password', JSON.stringify({ email: admin.email, password: '' }), 400, 'BAD_REQUEST'],
  ['2 KB password', JSON.stringify({ email: admin.email, password: 'p'.repeat(2000) }), 400, 'BAD_REQUEST'],
  ['password with CR/LF', JSON.stringify({ email: admin.email, password: 'guess\r\nX: y' }), 400, 'BAD_REQUEST'],
  ['apiKey as a number', JSON.stringify({ apiKey: 123 }), 400, 'BAD_REQUEST'],
  ['apiKey with a colon', JSON.stringify({ apiKey: 'abc:def' }), 400, 'BAD_REQUEST'],
  ['apiKey with a space', JSON.stringify({ apiKey: 'abc def' }), 400, 'BAD_REQUEST'],
  ['deeply nested', '['.repeat(3000) + ']'.repeat(3000), 400, 'BAD_REQUEST'],
  ['20 KB body', JSON.stringify({ email: admin.email, password: 'x'.repeat(20_000) }), 413, 'PAYLOAD_TOO_LARGE'],
];

describe('bad sign-in bodies -> a typed 4xx, never a 500', () => {
  it.each(bodyCases)('%s', async (_name, rawBody, status, code) => {
    const result = await h.send('/auth/sign-in', { ...post, rawBody });
    expect(result.status).toBe(status);
    expect(result.json.error.code).toBe(code);
    expect(result.setCookies).toEqual([]);
    expect(JSON.stringify(result.json)).not.toContain('__proto__');
  });

  it('invalid UTF-8 in the body -> 400', async () => {
    const response = await h.auth.handle(
      new Request('http://app.test/auth/sign-in', { ...post, body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) }),
    );
    expect(response?.status).toBe(400);
  });

  it('a streamed body that grows past the cap is cut off -> 413', async () => {
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(4096).fill(0x20));
        if (pulled > 1000) controller.close();
      },
    });
    const response = await h.auth.handle(
      new Request('http://app.test/auth/sign-in', { ...post, body: stream, duplex: 'half' } as RequestInit),
    );
    expect(response?.status).toBe(413);
    expect(pulled).toBeLessThan(10);
  });
});

describe('over real HTTP through node:http and the Node helpers', () => {
  it('signs in and authenticates; a 1 MB body is refused with 413', async () => {
    const signIn = await fetch(`${server.url}/auth/sign-in`, { ...post, body: JSON.stringify(admin) });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.getSetCookie()[0]!.split(';')[0]!;
    const me = await fetch(`${server.url}/api/me`, { headers: { cookie } });
    expect(await me.json()).toEqual({ name: 'Michael Scott', strategy: 'cookie' });
    const huge = await fetch(`${server.url}/auth/sign-in`, { ...post, body: 'x'.repeat(1024 * 1024) });
    expect(huge.status).toBe(413);
    expect((await huge.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('a declared Content-Length over the cap is refused before any body byte is sent', async () => {
    const { status, text } = await rawHttp(
      server.port,
      'POST /auth/sign-in HTTP/1.1\r\nHost: app.test\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\n\r\n',
    );
    expect(status).toBe(413);
    expect(text).toContain('PAYLOAD_TOO_LARGE');
  });

  it('obs-text and tabs in a cookie, bad Basic, huge headers: typed 4xx (or Node\'s own 4xx), never 500', async () => {
    const cookie = Buffer.concat([Buffer.from('GET /x HTTP/1.1\r\nHost: app.test\r\nCookie: paymo.sid=\t'), Buffer.from([0xff, 0xfe]), Buffer.from('abc\r\n\r\n')]);
    const obs = await rawHttp(server.port, cookie);
    expect(obs.status).toBe(400);
    expect(obs.text).toContain('MALFORMED_CREDENTIALS');
    const basic = await rawHttp(server.port, 'GET /x HTTP/1.1\r\nHost: app.test\r\nAuthorization: Basic \u00e9\u00e9\u00e9\r\n\r\n');
    expect(basic.status).toBe(400);
    const huge = await rawHttp(server.port, `GET /x HTTP/1.1\r\nHost: app.test\r\nX-Session: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(huge.status).toBe(431); // Node refuses headers over 16 KiB itself
    const guessed = await fetch(`${server.url}/x`, { headers: { authorization: encodeBasic(admin.email, 'guess') } });
    expect(guessed.status).toBe(401);
    expect(guessed.headers.get('www-authenticate')).toContain('Basic realm="Paymo"');
    const anonymous = await fetch(`${server.url}/x`);
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).error.code).toBe('MISSING_CREDENTIALS');
  });

  it('a bad Host header is a 400, not a crash', async () => {
    const { status } = await rawHttp(server.port, 'GET /auth/session HTTP/1.1\r\nHost: a b\r\n\r\n');
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
  });
});
