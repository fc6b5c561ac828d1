import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { isPaymoAuthError } from '@paymo/auth-core';
import * as api from '../index.js';
import { createCrossTabChannel } from '../createCrossTabChannel.js';
import { createPaymoAuthClient } from '../createPaymoAuthClient.js';
import { paymoAuthKeys } from '../paymoAuthKeys.js';
import { scheduleAt } from '../scheduleAt.js';

describe('public surface', () => {
  it('exports exactly these names', () => {
    expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
      [
        "PaymoAuthContext",
        "PaymoAuthError",
        "PaymoAuthProvider",
        "SignedIn",
        "SignedOut",
        "createPaymoAuthClient",
        "isPaymoAuthError",
        "paymoAuthKeys",
        "paymoMutationOptions",
        "paymoQueryOptions",
        "paymoSessionQueryOptions",
        "paymoSessionsQueryOptions",
        "paymoSignInMutationOptions",
        "paymoSignOutEverywhereMutationOptions",
        "paymoSignOutMutationOptions",
        "usePaymoAuth",
        "usePaymoMutation",
        "usePaymoQuery",
        "usePaymoSession",
        "usePaymoSessions",
        "usePaymoSignIn",
        "usePaymoSignOut",
        "usePaymoSignOutEverywhere",
      ]
    `);
  });
});

describe('paymoAuthKeys', () => {
  it('scopes every key by provider and keeps them under one root', () => {
    expect(paymoAuthKeys.session('/auth')).toEqual(['@paymo/auth', '/auth', 'session']);
    expect(paymoAuthKeys.sessions('/auth')).toEqual(['@paymo/auth', '/auth', 'sessions']);
    expect(paymoAuthKeys.session('http://a.test/auth')).not.toEqual(paymoAuthKeys.session('/auth'));
    for (const key of [paymoAuthKeys.signIn('/x'), paymoAuthKeys.signOut('/x'), paymoAuthKeys.signOutEverywhere('/x')]) {
      expect(key.slice(0, 2)).toEqual(['@paymo/auth', '/x']);
    }
  });
});

// A stand-in server answering whatever each test scripts: for the client's parsing rules only.
// Everything that depends on the real server is tested in the hook tests against paymoAuth().
describe('createPaymoAuthClient', () => {
  let answer: (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void = () => {};
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => answer(req, body, res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const send = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

  it('builds URLs from baseUrl and basePath, with slashes normalised', async () => {
    const seen: string[] = [];
    answer = (req, _body, res) => {
      seen.push(req.url ?? '');
      send(res, 200, { session: null });
    };
    await createPaymoAuthClient({ baseUrl: `${url}/`, basePath: 'api/auth/' }).getSession();
    expect(seen).toEqual(['/api/auth/session']);
    expect(createPaymoAuthClient({ baseUrl: url, basePath: '/auth' }).scope).toBe(`${url}/auth`);
    expect(createPaymoAuthClient().scope).toBe('/auth');
  });

  it('sends only the documented credential fields, as JSON', async () => {
    let received: { body?: string; type?: string } = {};
    answer = (req, body, res) => {
      received = { body, type: req.headers['content-type'] };
      send(res, 200, { session: { user: { id: 1 } } });
    };
    const client = createPaymoAuthClient({ baseUrl: url });
    await client.signIn({ email: 'a@b.c', password: 'pw', extra: 'no' } as never);
    expect(received).toEqual({ body: '{"email":"a@b.c","password":"pw"}', type: 'application/json' });
    await client.signIn({ apiKey: 'k'.repeat(44) });
    expect(JSON.parse(received.body ?? '')).toEqual({ apiKey: 'k'.repeat(44) });
  });

  it("turns the server's error body into a typed PaymoAuthError with retryAfter", async () => {
    answer = (_req, _body, res) =>
      send(res, 429, { error: { code: 'RATE_LIMITED', message: 'Too many sign-in attempts.' } }, { 'retry-after': '42' });
    const error = await createPaymoAuthClient({ baseUrl: url }).signIn({ email: 'a@b.c', password: 'x' }).catch((e: unknown) => e);
    expect(isPaymoAuthError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429, retryAfter: 42, message: 'Too many sign-in attempts.' });
  });

  it('maps bodies that are not ours (a proxy page) by status', async () => {
    const client = createPaymoAuthClient({ baseUrl: url });
    for (const [status, code] of [[502, 'UPSTREAM_UNAVAILABLE'], [500, 'UPSTREAM_ERROR'], [429, 'RATE_LIMITED'], [404, 'NOT_FOUND']] as const) {
      answer = (_req, _body, res) => send(res, status, '<html>Bad Gateway</html>');
      await expect(client.getSession()).rejects.toMatchObject({ code, status });
    }
  });

  it('reads a 401 or {session:null} as signed out, keeping why when the server says', async () => {
    const client = createPaymoAuthClient({ baseUrl: url });
    answer = (_req, _body, res) => send(res, 401, { error: { code: 'SESSION_EXPIRED', message: 'expired' } });
    await expect(client.getSession()).resolves.toEqual({ session: null, endReason: 'SESSION_EXPIRED' });
    answer = (_req, _body, res) => send(res, 401, { error: { code: 'MISSING_CREDENTIALS', message: 'none' } });
    await expect(client.getSession()).resolves.toEqual({ session: null });
    answer = (_req, _body, res) => send(res, 200, { session: null, reason: 'SESSION_REVOKED' });
    await expect(client.getSession()).resolves.toEqual({ session: null, endReason: 'SESSION_REVOKED' });
    answer = (_req, _body, res) => send(res, 200, { session: null, reason: 'SOMETHING_ELSE' });
    await expect(client.getSession()).resolves.toEqual({ session: null });
  });

  it('reports an unreachable server as UPSTREAM_UNAVAILABLE with status 0', async () => {
    const dead = http.createServer();
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(dead.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => dead.close(() => resolve()));
    await expect(createPaymoAuthClient({ baseUrl: deadUrl }).getSession()).rejects.toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      status: 0,
    });
  });

  it('parses Retry-After given as an HTTP date', async () => {
    answer = (_req, _body, res) => send(res, 503, {}, { 'retry-after': new Date(Date.now() + 30_000).toUTCString() });
    const error = (await createPaymoAuthClient({ baseUrl: url }).getSession().catch((e: unknown) => e)) as { retryAfter: number };
    expect(error.retryAfter).toBeGreaterThanOrEqual(28);
    expect(error.retryAfter).toBeLessThanOrEqual(31);
  });

  it('uses credentials same-origin by default and include with a baseUrl', async () => {
    const modes: (RequestCredentials | undefined)[] = [];
    const spy: typeof fetch = async (_input, init) => {
      modes.push(init?.credentials);
      return new Response('{"session":null}', { headers: { 'content-type': 'application/json' } });
    };
    await createPaymoAuthClient({ fetch: spy }).getSession();
    await createPaymoAuthClient({ fetch: spy, baseUrl: 'http://127.0.0.1:1' }).getSession();
    expect(modes).toEqual(['same-origin', 'include']);
  });
});

describe('scheduleAt', () => {
  afterEach(() => vi.useRealTimers());

  it('fires once at the time, and not after cancel', () => {
    vi.useFakeTimers({ now: 0 });
    const fired = vi.fn();
    scheduleAt(5_000, fired);
    vi.advanceTimersByTime(4_999);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
    const never = vi.fn();
    scheduleAt(10_000, never)();
    vi.advanceTimersByTime(20_000);
    expect(never).not.toHaveBeenCalled();
  });

  it('waits beyond setTimeout\'s 24.8-day limit instead of firing at once', () => {
    vi.useFakeTimers({ now: 0 });
    const fired = vi.fn();
    const thirtyOneDays = 31 * 24 * 3600_000;
    scheduleAt(thirtyOneDays, fired);
    vi.advanceTimersByTime(thirtyOneDays - 1);
    expect(fired).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(1); // one timer at a time, no polling
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('fires at once for a time in the past', () => {
    const fired = vi.fn();
    scheduleAt(Date.now() - 1, fired);
    expect(fired).toHaveBeenCalledTimes(1);
  });
});

describe('createCrossTabChannel', () => {
  it('carries only the event name between channels of one name, never to the sender', async () => {
    const a = vi.fn();
    const b = vi.fn();
    const tabA = createCrossTabChannel('paymo-auth:/test', a);
    const tabB = createCrossTabChannel('paymo-auth:/test', b);
    const spy = new BroadcastChannel('paymo-auth:/test');
    const raw: unknown[] = [];
    spy.onmessage = (event) => raw.push(event.data);
    tabA.post('signed-out');
    await vi.waitFor(() => expect(b).toHaveBeenCalledWith('signed-out'));
    await vi.waitFor(() => expect(raw).toEqual([{ type: 'signed-out' }]));
    expect(a).not.toHaveBeenCalled();
    for (const channel of [tabA, tabB]) channel.close();
    spy.close();
  });

  it('ignores messages that are not ours', async () => {
    const received = vi.fn();
    const tab = createCrossTabChannel('paymo-auth:/junk', received);
    const other = new BroadcastChannel('paymo-auth:/junk');
    other.postMessage({ type: 'token', token: 'x' });
    other.postMessage('signed-out');
    other.postMessage({ type: 'signed-in' });
    await vi.waitFor(() => expect(received).toHaveBeenCalledTimes(1));
    expect(received).toHaveBeenCalledWith('signed-in');
    tab.close();
    other.close();
  });
});
