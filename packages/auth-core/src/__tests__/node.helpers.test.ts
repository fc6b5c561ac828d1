import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createPaymoNodeHandler, sendWebResponse, toWebRequest } from '@paymo/auth-core/node';
import { appendSetCookies } from '../node/sendWebResponse.js';
import { nodeRequestLike } from '../node/nodeRequestLike.js';
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

  it("leaves the body out when a parser consumed the stream: the engine takes the parser's result, capped", async () => {
    h = await createHarness({ maxBodyBytes: 100 });
    let built: string | null = 'not built';
    // A body parser ran first: it consumed the stream and left its result on req.body.
    const paymo = createPaymoNodeHandler<IncomingMessage & { body?: unknown }>(h.auth, { parsedBody: (req) => req.body });
    const url = await serve(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      Object.assign(req, { body: JSON.parse(Buffer.concat(chunks).toString()) as unknown });
      built = await (await toWebRequest(req, { maxBodyBytes: 100 })).text();
      if ((await paymo.handle(req, res)) !== null) res.end('not an auth route');
    });
    const post = (body: unknown) =>
      fetch(`${url}/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const signedIn = await post(admin);
    expect(built).toBe(''); // nothing re-serialised
    expect(signedIn.status).toBe(200);
    const big = await post({ email: 'a@b.c', password: 'x'.repeat(200) });
    expect(big.status).toBe(413);
    expect((await big.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('reads the stream itself when a parser did not touch it, even if req.body is set (Express 4 leaves {})', async () => {
    let body = '';
    const url = await serve(async (req, res) => {
      body = await (await toWebRequest(req, { maxBodyBytes: 1024 })).text();
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

describe('createPaymoNodeHandler', () => {
  it('answers auth routes (HTTPS: __Host- cookie) and resolves the state of other paths', async () => {
    h = await createHarness();
    const paymo = createPaymoNodeHandler(h.auth, { secure: () => true, clientIp: () => '198.51.100.4' });
    const passed: string[] = [];
    const url = await serve(async (req, res) => {
      const state = await paymo.handle(req, res);
      if (state === null) return;
      passed.push(req.url ?? '');
      if (!state.authenticated) return paymo.respond(req, res, state.error);
      res.end(state.user.name);
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
    const anonymous = await fetch(`${url}/hello`);
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).error.code).toBe('MISSING_CREDENTIALS');
    expect(passed).toEqual(['/hello', '/hello']);
  });
});
