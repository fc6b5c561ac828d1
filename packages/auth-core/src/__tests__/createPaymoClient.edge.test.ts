// Upstream behaviours the fake Paymo API has no reason to produce (redirects, non-JSON, stalled
// bodies, odd envelopes), served by a scripted server on 127.0.0.1 over real HTTP.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPaymoClient, isPaymoAuthError } from '@paymo/auth-core';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let server: Server;
let baseUrl: string;
let handler: Handler;
const seen: IncomingMessage[] = [];
const token = '0123456789abcdef0123456789abcdef';

beforeEach(async () => {
  seen.length = 0;
  server = createServer((req, res) => {
    seen.push(req);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const client = (extra = {}) =>
  createPaymoClient({ baseUrl, credential: { type: 'session', token }, retry: { baseDelayMs: 10 }, ...extra });
const reply = (status: number, body: string, headers: Record<string, string> = {}): Handler => (_req, res) => {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(body);
};
async function rejection(promise: Promise<unknown>) {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(isPaymoAuthError(error)).toBe(true);
  return error as Error & { code: string; retryAfter?: number };
}

describe('createPaymoClient edge cases', () => {
  it('sends Accept: application/json and X-Session; JSON bodies with a Content-Type', async () => {
    let body = '';
    handler = (req, res) => {
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => reply(201, '{"clients":[{"id":1}]}')(req, res));
    };
    await client().request('POST', '/clients', { name: 'Acme' });
    expect(seen[0]!.headers).toMatchObject({ accept: 'application/json', 'x-session': token, 'content-type': 'application/json' });
    expect(seen[0]!.headers.authorization).toBeUndefined();
    expect(body).toBe('{"name":"Acme"}');
  });

  it('never follows a redirect (it would carry X-Session elsewhere)', async () => {
    handler = (req, res) => {
      if (req.url === '/api/me') {
        res.writeHead(302, { Location: '/elsewhere' });
        res.end();
      } else reply(200, '{"users":[{"id":1}]}')(req, res);
    };
    expect(await rejection(client().me())).toMatchObject({ code: 'UPSTREAM_ERROR', message: 'Paymo answered 302.' });
    expect(seen.map((r) => r.url)).toEqual(['/api/me']);
  });

  it('a 2xx that is not JSON, or not the expected envelope, is UPSTREAM_ERROR', async () => {
    handler = reply(200, '<html>maintenance</html>');
    expect(await rejection(client().me())).toMatchObject({ code: 'UPSTREAM_ERROR' });
    handler = reply(200, '{"users":[]}');
    expect(await rejection(client().me())).toMatchObject({ code: 'UPSTREAM_ERROR' });
    handler = reply(200, '{"sessions":[{"id":""}]}');
    expect(await rejection(client().sessions.list())).toMatchObject({ code: 'UPSTREAM_ERROR' });
  });

  it('an empty 2xx body is null (DELETE answers 200 with nothing)', async () => {
    handler = reply(200, '');
    expect(await client().request('DELETE', `/sessions/${token}`)).toBeNull();
  });

  it('falls back to raw text for error bodies, truncated, with the secret redacted', async () => {
    handler = (req, res) => {
      res.writeHead(400, { 'Content-Type': 'text/plain' });
      res.end(`bad request from token ${String(req.headers['x-session'])}\n${'x'.repeat(1000)}`);
    };
    const error = await rejection(client().me());
    expect(error.code).toBe('UPSTREAM_ERROR');
    expect(error.message).toMatch(/^Paymo answered 400: bad request from token \[redacted\] x+…$/);
    expect(error.message.length).toBeLessThan(260);
    expect(error.message).not.toContain(token);
  });

  it('redacts the bare base64 of email:password that an error body echoes', async () => {
    handler = (req, res) => {
      const encoded = String(req.headers.authorization).replace(/^Basic /, '');
      res.writeHead(400, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: `cannot decode ${encoded}` }));
    };
    const basicClient = createPaymoClient({
      baseUrl,
      credential: { type: 'basic', email: 'michael@dundermifflin.com', password: 'worlds-best-boss' },
      retry: false,
    });
    const error = await rejection(basicClient.me());
    expect(error.message).toBe('Paymo answered 400: cannot decode [redacted]');
  });

  it('times out a body that stalls after the headers', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"users":[');
    };
    const error = await rejection(client({ timeoutMs: 150, retry: false }).me());
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', message: 'Paymo did not answer within 150 ms.' });
  });

  it('honours a 429 Retry-After given as an HTTP-date on an idempotent request', async () => {
    let calls = 0;
    handler = (req, res) => {
      calls++;
      if (calls === 1) {
        const date = new Date();
        const retryAt = new Date(date.getTime() + 1000);
        reply(429, '{"message":"Too Many Requests"}', { Date: date.toUTCString(), 'Retry-After': retryAt.toUTCString() })(req, res);
      } else reply(200, '{"users":[{"id":7,"name":"n","email":"e@x.y","type":"Admin","active":true}]}')(req, res);
    };
    expect(await client().me()).toMatchObject({ id: 7 });
    expect(calls).toBe(2);
  });

  it('encodes session ids in paths', async () => {
    handler = reply(200, '{"sessions":[{"id":"a/b","expires_on":"2030-01-01T00:00:00Z"}]}');
    await client().sessions.get('a/b?x');
    expect(seen[0]!.url).toBe('/api/sessions/a%2Fb%3Fx');
  });
});
