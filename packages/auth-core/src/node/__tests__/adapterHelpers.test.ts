// The decisions the Express and Nest adapters share, tested over real HTTP on a plain node:http server.
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakePaymo, demoAccounts, type FakePaymo } from '@paymo/fake-api';
import { PaymoAuthError, createPaymoAuth, type PaymoAuth, type PaymoAuthState } from '@paymo/auth-core';
import { createPaymoNodeHandler, toWebRequest } from '@paymo/auth-core/node';
import { startNodeServer, type NodeTestServer } from '../../__tests__/nodeServer.js';
import { rawHttp } from '../../__tests__/rawHttp.js';

let fake: FakePaymo | undefined;
let auth: PaymoAuth | undefined;
const servers: Array<NodeTestServer | Server> = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    if ('crashes' in server) await server.close();
    else {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }
  await auth?.close();
  await fake?.close();
  auth = fake = undefined;
});

async function engine(): Promise<PaymoAuth> {
  // Looser than the fake's default quota (5 per 5 s) on purpose: these tests make many Paymo calls per
  // test and check other behaviour; the quota itself is tested in quota.test.ts files.
  fake = await createFakePaymo({ rateLimit: { limit: 100, decayPeriodSeconds: 10 } });
  auth = createPaymoAuth({ baseUrl: fake.url });
  return auth;
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<number> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function send(port: number, method: string, path: string): Promise<{ status: number; headers: IncomingMessage['headers']; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('methods the auth routes do not serve', () => {
  it('answers TRACE, PUT, DELETE and OPTIONS with a typed 405 JSON and Allow, never a 500', async () => {
    const server = await startNodeServer(await engine());
    servers.push(server);
    for (const [method, path, allow] of [
      ['TRACE', '/auth/session', 'GET'],
      ['TRACE', '/auth/sign-in', 'POST'],
      ['PUT', '/auth/sign-out', 'POST'],
      ['DELETE', '/auth/sessions', 'GET'],
      ['OPTIONS', '/auth/nowhere', 'GET, POST'],
    ] as const) {
      const res = await send(server.port, method, path);
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(res.body)).toEqual({ error: { code: 'METHOD_NOT_ALLOWED', message: expect.any(String) } });
      expect(res.headers.allow).toBe(allow);
    }
    expect(server.crashes).toEqual([]);
  });

  it('toWebRequest rejects TRACE with METHOD_NOT_ALLOWED instead of a TypeError', async () => {
    let caught: unknown;
    const port = await listen((req, res) => {
      toWebRequest(req, { maxBodyBytes: 1024 }).then(
        () => res.end('built'),
        (error: unknown) => {
          caught = error;
          res.end('refused');
        },
      );
    });
    await rawHttp(port, 'TRACE /auth/session HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    expect(caught).toBeInstanceOf(PaymoAuthError);
    expect((caught as PaymoAuthError).code).toBe('METHOD_NOT_ALLOWED');
  });
});

describe('answerBodyParserError', () => {
  // What body-parser (express.json(), Nest's parser) hands to error handlers.
  const parseFailed = (body: string) => Object.assign(new SyntaxError('Unexpected end of JSON input'), { type: 'entity.parse.failed', status: 400, body });
  const tooLarge = () => Object.assign(new Error('request entity too large'), { type: 'entity.too.large', status: 413 });

  async function serveErrors(error: () => unknown): Promise<{ port: number; passed: unknown[] }> {
    const a = await engine();
    const passed: unknown[] = [];
    const port = await listen((req, res) => {
      req.resume(); // a parser consumed the stream
      req.on('end', () => {
        const failure = error();
        createPaymoNodeHandler(a).answerBodyParserError(failure, req, res).then((answered) => {
          if (!answered) {
            passed.push(failure);
            res.end('passed on');
          }
        });
      });
    });
    return { port, passed };
  }

  it('lets the engine answer malformed JSON on an auth route: typed 400, the raw body never echoed', async () => {
    const { port, passed } = await serveErrors(() => parseFailed('{"email":"a@b.c","password":"s3cret-pw'));
    const res = await fetch(`http://127.0.0.1:${port}/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    const text = await res.text();
    expect(res.status).toBe(400);
    expect(JSON.parse(text).error.code).toBe('BAD_REQUEST');
    expect(text).not.toContain('s3cret-pw');
    expect(passed).toEqual([]);
  });

  it('answers an oversized body with the typed 413', async () => {
    const { port } = await serveErrors(tooLarge);
    const res = await fetch(`http://127.0.0.1:${port}/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it("passes on parser errors of the app's own paths, and errors that are not a parser's", async () => {
    const own = await serveErrors(() => parseFailed('{'));
    expect(await (await fetch(`http://127.0.0.1:${own.port}/api/things`, { method: 'POST', body: '{' })).text()).toBe('passed on');
    await auth?.close();
    await fake?.close();
    const other = await serveErrors(() => new Error('a bug'));
    expect(await (await fetch(`http://127.0.0.1:${other.port}/auth/sign-in`, { method: 'POST', body: '{}' })).text()).toBe('passed on');
    expect(other.passed).toHaveLength(1);
  });
});

describe('auth.refusal (onUnavailable)', () => {
  const failed = (error: PaymoAuthError): PaymoAuthState => ({ authenticated: false, error, setCookies: [] });

  it('is the error for 429 and 5xx failures, and undefined for missing or refused credentials', async () => {
    const a = await engine();
    for (const code of ['STORE_UNAVAILABLE', 'UPSTREAM_UNAVAILABLE', 'RATE_LIMITED', 'UPSTREAM_ERROR'] as const) {
      const error = new PaymoAuthError(code, 'x');
      expect(a.refusal(failed(error))).toBe(error);
    }
    for (const code of ['MISSING_CREDENTIALS', 'INVALID_CREDENTIALS', 'SESSION_EXPIRED', 'SESSION_REVOKED', 'MALFORMED_CREDENTIALS'] as const) {
      expect(a.refusal(failed(new PaymoAuthError(code, 'x')))).toBeUndefined();
    }
  });

  it("is never set with onUnavailable: 'anonymous', and a bad value is a CONFIG_ERROR", () => {
    const anonymous = createPaymoAuth({ baseUrl: 'http://127.0.0.1:9/api', onUnavailable: 'anonymous' });
    expect(anonymous.refusal(failed(new PaymoAuthError('STORE_UNAVAILABLE', 'x')))).toBeUndefined();
    void anonymous.close();
    expect(() => createPaymoAuth({ onUnavailable: 'open' as never })).toThrow(expect.objectContaining({ code: 'CONFIG_ERROR' }));
  });
});

describe('userTypeRefusal', () => {
  it('refuses other user types with one FORBIDDEN message, and allows listed ones or no list', async () => {
    const { userTypeRefusal } = createPaymoNodeHandler(await engine());
    const refusal = userTypeRefusal({ type: 'Employee' }, ['Admin', 'Owner']);
    expect(refusal?.code).toBe('FORBIDDEN');
    expect(refusal?.message).toBe('This route is for Paymo users of type Admin or Owner');
    expect(userTypeRefusal({ type: 'Admin' }, ['Admin'])).toBeUndefined();
    expect(userTypeRefusal({ type: 'Employee' }, undefined)).toBeUndefined();
  });
});

describe("createPaymoNodeHandler and the framework's facts", () => {
  it("reads the framework's client IP only when the engine needs it, and its secure flag for cookies", async () => {
    const a = await engine();
    let ipReads = 0;
    const paymo = createPaymoNodeHandler(a, { secure: () => true, clientIp: () => (ipReads++, '203.0.113.9') });
    const port = await listen((req, res) => {
      paymo.handle(req, res).then((state) => state && res.end(state.authenticated ? 'in' : state.error.code));
    });
    expect(await (await fetch(`http://127.0.0.1:${port}/elsewhere?x=/auth`)).text()).toBe('MISSING_CREDENTIALS');
    expect(await (await fetch(`http://127.0.0.1:${port}/authority`, { headers: { cookie: `__Host-paymo.sid=${'x'.repeat(43)}` } })).text()).toBe('SESSION_EXPIRED');
    expect(ipReads).toBe(0); // no sign-in limit was consulted
    const res = await fetch(`http://127.0.0.1:${port}/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: `https://127.0.0.1:${port}` },
      body: JSON.stringify({ apiKey: demoAccounts.admin.apiKey }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()[0]).toMatch(/^__Host-paymo\.sid=/);
    expect(ipReads).toBeGreaterThan(0);
  });
});
