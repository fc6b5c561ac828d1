import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import express4 from 'express4';
import { createFakePaymo } from '@paymo/fake-api';
import type { PaymoAuthLogEvent, PaymoAuthOptions } from '@paymo/auth-core';
import { getPaymoAuth, paymoAuth, paymoAuthErrorHandler, requirePaymoAuth, } from '../index.js';

export type ExpressModule = typeof express;

/** Every suite runs on both majors. */
export const expressVersions: ReadonlyArray<readonly [string, ExpressModule]> = [
  ['express 5', express],
  ['express 4', express4],
];

export type FakePaymo = Awaited<ReturnType<typeof createFakePaymo>>;

export interface StackOptions {
  /** Engine options, or a function of the fake (e.g. to share its clock: `now: () => fake.clock.now()`). */
  auth?: PaymoAuthOptions | ((fake: FakePaymo) => PaymoAuthOptions);
  fake?: Parameters<typeof createFakePaymo>[0];
  /** Runs before app.use(paymoAuth()): proxy trust, the app's own body parsers, ... */
  before?: (app: Express) => void;
  /** The engine's fail-closed policy (PaymoAuthOptions.onUnavailable). */
  onUnavailable?: 'respond' | 'anonymous';
}

export interface Stack {
  fake: FakePaymo;
  server: http.Server;
  origin: string;
  auth: ReturnType<typeof paymoAuth>['auth'];
  logs: PaymoAuthLogEvent[];
  close(): Promise<void>;
}

/** A real Express app on 127.0.0.1:0 in front of a real fake Paymo API, with a few typical routes. */
export async function startStack(lib: ExpressModule, options: StackOptions = {}): Promise<Stack> {
  // Looser than the fake's default quota (5 per 5 s) on purpose: these tests make many Paymo calls per
  // test and check other behaviour; the quota itself is tested in quota.test.ts files.
  const fake = await createFakePaymo({ rateLimit: { limit: 100, decayPeriodSeconds: 10 }, ...options.fake });
  const logs: PaymoAuthLogEvent[] = [];
  const extra = typeof options.auth === 'function' ? options.auth(fake) : options.auth;
  const middleware = paymoAuth({
    baseUrl: fake.url,
    logger: (event) => logs.push(event),
    ...(options.onUnavailable ? { onUnavailable: options.onUnavailable } : {}),
    ...extra,
  });
  const app = lib();
  options.before?.(app);
  app.use(middleware);
  app.get('/api/me', requirePaymoAuth(), (req, res) => {
    const { user, strategy, session } = getPaymoAuth(req);
    res.json({ user, strategy, expiresAt: session.expiresAt });
  });
  app.get('/api/clients', requirePaymoAuth(), (req: Request, res: Response, next: NextFunction) => {
    getPaymoAuth(req).client.request('GET', '/clients').then((body) => res.json(body), next);
  });
  app.get('/api/admin', requirePaymoAuth({ userType: 'Admin' }), (_req, res) => res.json({ ok: true }));
  app.get('/api/even', requirePaymoAuth({ predicate: (auth) => auth.user.id % 2 === 0 }), (_req, res) => res.json({ ok: true }));
  app.get('/dashboard', requirePaymoAuth({ redirectTo: '/sign-in' }), (_req, res) => res.send('<h1>hi</h1>'));
  app.get('/public', (req, res) => {
    const state = req.paymo;
    res.json(state.authenticated ? { authenticated: true, userId: state.user.id } : { authenticated: false, code: state.error.code });
  });
  app.use(paymoAuthErrorHandler());
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    fake,
    server,
    origin: `http://127.0.0.1:${port}`,
    auth: middleware.auth,
    logs,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await middleware.auth.close();
      await fake.close();
    },
  };
}

/** `name=value` of the session cookie a response set (the first Set-Cookie that is not a clearing one). */
export function sessionCookie(setCookie: string[] | string | undefined): string {
  const all = ([] as string[]).concat(setCookie ?? []);
  const found = all.find((line) => !/max-age=0|expires=thu, 01 jan 1970/i.test(line));
  if (!found) throw new Error(`no session cookie in ${JSON.stringify(all.map((line) => line.split('=')[0]))}`);
  return found.split(';')[0]!;
}

/** The Set-Cookie lines of a response, always as an array. */
export function setCookies(headers: Record<string, unknown>): string[] {
  return ([] as string[]).concat((headers['set-cookie'] as string[] | string | undefined) ?? []);
}

/** True when a Set-Cookie line clears its cookie. */
export function isClearing(line: string): boolean {
  return /max-age=0|expires=thu, 01 jan 1970/i.test(line);
}

/** A store that can be switched off: every call then rejects, like a Redis that went away. */
export function switchableStore<T extends object>(inner: T): { store: T; setDown(down: boolean): void } {
  let down = false;
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || prop === 'close') return value;
      return (...args: unknown[]) =>
        down ? Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379')) : (value as (...a: unknown[]) => unknown).apply(target, args);
    },
  });
  return { store, setDown: (value) => void (down = value) };
}

/** Calls the fake Paymo API directly with a token, as any Paymo client would. */
export async function paymoStatusWithToken(fake: FakePaymo, token: string): Promise<number> {
  const res = await fetch(`${fake.url}/me`, { headers: { 'X-Session': token, Accept: 'application/json' } });
  await res.arrayBuffer();
  return res.status;
}

const servers = new Set<http.Server>();

/** Listens on 127.0.0.1:0 (never all interfaces, as supertest's own listen would). Close with closeServers(). */
export async function serve(app: Express): Promise<http.Server> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.add(server);
  return server;
}

export async function closeServers(): Promise<void> {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  servers.clear();
}
