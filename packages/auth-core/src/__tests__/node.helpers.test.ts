import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { appendSetCookies, nodeRequestLike, sendWebResponse, toWebRequest, handleNodeRequest } from '@paymo/auth-core/node';
import { admin, createHarness, type Harness } from './engineHarness.js';
import { rawHttp } from './rawHttp.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

const servers: Array<{ close(): void; closeAllConnections(): void }> = [];
let h: Harness | undefined;
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
  await h?.close();
  h = undefined;
});

async function serve(handler: Handler): Promise<string> {
  const server = createServer((req, res) => {
    handler(req, res).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('toWebRequest', () => {
  it('builds the URL from Host and the scheme, copies headers (repeated ones too) and reads the body', async () => {
    let seen: { url: string; method: string; body: string; cookie: string | null; custom: string | null } | undefined;
    const url = await serve(async (req, res) => {
      const request = await toWebRequest(req, { maxBodyBytes: 1024, secure: true });
      seen = { url: request.url, method: request.method, body: await request.text(), cookie: request.headers.get('cookie'), custom: request.headers.get('x-custom') };
      res.end();
    });
    // Raw, because fetch() may not set Host.
    await rawHttp(
      Number(new URL(url).port),
      'POST /auth/sign-in?x=1 HTTP/1.1\r\nHost: app.example.com\r\nCookie: a=1\r\nX-Custom: one\r\nX-Custom: two\r\n' +
        'Content-Length: 7\r\nConnection: close\r\n\r\n{"a":1}',
    );
    expect(seen).toEqual({ url: 'https://app.example.com/auth/sign-in?x=1', method: 'POST', body: '{"a":1}', cookie: 'a=1', custom: 'one, two' });
  });

  it('uses parsedBody when a body parser already consumed the stream, and still enforces the cap', async () => {
    const bodies: Array<string | number> = [];
    const url = await serve(async (req, res) => {
      // A body parser: consumes the stream and leaves a parsed value behind.
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const parsedBody = JSON.parse(Buffer.concat(chunks).toString()) as unknown;
      try {
        const request = await toWebRequest(req, { maxBodyBytes: 64, parsedBody });
        bodies.push(await request.text());
      } catch (error) {
        bodies.push((error as { status: number }).status);
      }
      res.end();
    });
    await fetch(url, { method: 'POST', body: JSON.stringify({ email: 'a@b.c', password: 'x' }) });
    await fetch(url, { method: 'POST', body: JSON.stringify({ big: 'x'.repeat(100) }) });
    expect(bodies).toEqual(['{"email":"a@b.c","password":"x"}', 413]);
  });

  it('reads the stream itself when a parser did not touch it, even if parsedBody is set (Express 4 leaves {})', async () => {
    let body = '';
    const url = await serve(async (req, res) => {
      body = await (await toWebRequest(req, { maxBodyBytes: 1024, parsedBody: {} })).text();
      res.end();
    });
    await fetch(url, { method: 'POST', body: '{"apiKey":"k"}' });
    expect(body).toBe('{"apiKey":"k"}');
  });

  it('uses originalUrl (Express/Nest mounts rewrite req.url)', async () => {
    let seen = '';
    const url = await serve(async (req, res) => {
      Object.assign(req, { originalUrl: '/auth/session', url: '/session' });
      seen = (await toWebRequest(req, { maxBodyBytes: 10 })).url;
      res.end();
    });
    await fetch(`${url}/auth/session`);
    expect(seen).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/auth\/session$/);
  });
});

describe('sendWebResponse / appendSetCookies / nodeRequestLike', () => {
  it('writes status, headers, body, and every Set-Cookie separately, keeping cookies already set', async () => {
    const url = await serve(async (_req, res) => {
      res.setHeader('set-cookie', 'app=1; Path=/');
      appendSetCookies(res, ['extra=2; Path=/']);
      const headers = new Headers({ 'content-type': 'application/json', 'cache-control': 'no-store' });
      headers.append('set-cookie', 'a=1; HttpOnly');
      headers.append('set-cookie', 'b=2; HttpOnly');
      await sendWebResponse(res, new Response('{"ok":true}', { status: 201, headers }));
    });
    const response = await fetch(url);
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.getSetCookie()).toEqual(['app=1; Path=/', 'extra=2; Path=/', 'a=1; HttpOnly', 'b=2; HttpOnly']);
    expect(await response.json()).toEqual({ ok: true });
  });

  it('nodeRequestLike reads headers without copying, case-insensitively', async () => {
    let seen: unknown;
    const url = await serve(async (req, res) => {
      const like = nodeRequestLike(req);
      seen = { method: like.method, cookie: like.headers.get('Cookie'), missing: like.headers.get('x-missing'), url: like.url };
      res.end();
    });
    await fetch(`${url}/p?q=1`, { headers: { cookie: 'a=1' } });
    expect(seen).toEqual({ method: 'GET', cookie: 'a=1', missing: null, url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/p\?q=1$/) });
  });
});

describe('handleNodeRequest', () => {
  it('answers auth routes (HTTPS context: __Host- cookie) and lets other paths through', async () => {
    h = await createHarness();
    const auth = h.auth;
    const passed: string[] = [];
    const url = await serve(async (req, res) => {
      if (await handleNodeRequest(auth, req, res, { context: { secure: true, clientIp: '198.51.100.4' } })) return;
      passed.push(req.url ?? '');
      const state = await auth.authenticate(nodeRequestLike(req), { secure: true });
      res.end(state.authenticated ? state.user.name : state.error.code);
    });
    const signIn = await fetch(`${url}/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: `https://${new URL(url).host}` },
      body: JSON.stringify(admin),
    });
    expect(signIn.status).toBe(200);
    const setCookie = signIn.headers.getSetCookie()[0]!;
    expect(setCookie).toMatch(/^__Host-paymo\.sid=.*; Secure$/);
    const me = await fetch(`${url}/hello`, { headers: { cookie: setCookie.split(';')[0]! } });
    expect(await me.text()).toBe('Michael Scott');
    expect(passed).toEqual(['/hello']);
  });
});
