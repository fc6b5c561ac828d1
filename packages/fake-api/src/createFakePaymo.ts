import { createServer, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { createClock, type FakeClock } from './clock.js';
import { FaultInjector, type FaultController } from './faults.js';
import { formatPaymoDate } from './format.js';
import { createRequestHandler } from './handleRequest.js';
import { resolveOptions, type FakePaymoOptions } from './options.js';
import { RateLimiter, type RateLimitController } from './rateLimiter.js';
import { matchesRequest, type RequestFilter, type RequestLogEntry } from './requestLog.js';
import { customRoute } from './router.js';
import { builtInRoutes } from './routes/index.js';
import { defaultSeed, type FakePaymoSeed } from './seed.js';
import { FakePaymoState } from './state.js';
import { createControlHandler } from './control.js';
import { resources } from './resources.js';
import { WebhookDispatcher, type WebhooksControl } from './webhooks.js';
import type { PaymoSession, PaymoUser } from './types.js';

/**
 * Direct access to the fake's sessions, for arranging and checking state in tests (`fake.sessions`).
 *
 * @example
 * const { id: token } = fake.sessions.create(demoAccounts.employee.id);
 * fake.sessions.revoke(token); // the user ended it elsewhere: X-Session token now gets 401
 */
export interface FakeSessionsControl {
  /** Every session not ended (expired ones included), oldest first; only that user's when `userId` is given. */
  list(userId?: number): PaymoSession[];
  /** One session by id (the token), expired or not; `undefined` once ended. */
  get(id: string): PaymoSession | undefined;
  /** Ends a session as if the user signed out elsewhere: its token gets 401 from now on. Returns whether it existed. */
  revoke(id: string): boolean;
  /** Creates a session for a user without an HTTP call (no rate limit spent). */
  create(userId: number, options?: { ip?: string }): PaymoSession;
  /** Makes a session expire now (its `expires_on` becomes the current fake time). Returns whether it existed. */
  expire(id: string): boolean;
}

/**
 * Direct access to the fake's users (`fake.users`).
 *
 * @example
 * fake.users.archive(demoAccounts.employee.id); // password, API key and sessions all get 401 now
 */
export interface FakeUsersControl {
  /** The public user object (no password or API key), or `undefined`. */
  get(userId: number): PaymoUser | undefined;
  /** Every user's public object. */
  list(): PaymoUser[];
  /** Retires a user (`active: false`): their password, API key and existing sessions get 401 from now on. */
  archive(userId: number): void;
  /** Makes an archived user active again. */
  activate(userId: number): void;
}

/**
 * A running fake Paymo API. Create it with {@link createFakePaymo}; `close()` it when done.
 *
 * @example
 * const fake = await createFakePaymo();
 * const client = createPaymoClient({ baseUrl: fake.url, credential: { type: 'apiKey', apiKey: demoAccounts.admin.apiKey } });
 * await client.me();
 * expect(fake.countRequests({ method: 'GET', path: '/api/me' })).toBe(1);
 * await fake.close();
 */
export interface FakePaymo {
  /** Base URL including `/api`, e.g. `http://127.0.0.1:41234/api`: pass it as the client's `baseUrl`. */
  readonly url: string;
  /** `http://host:port`, without `/api`. */
  readonly origin: string;
  /** The port it listens on. */
  readonly port: number;
  /** Stops listening and destroys every open (also keep-alive) connection. Safe to call twice. */
  close(): Promise<void>;
  /** The fake's clock: `Date` header, session times and expiry, rate-limit windows. */
  readonly clock: FakeClock;
  /** Fault injection: error statuses, latency, dropped connections. */
  readonly faults: FaultController;
  /** The rate limiter's settings and test hooks. */
  readonly rateLimit: RateLimitController;
  /** Direct session state access. */
  readonly sessions: FakeSessionsControl;
  /** Direct user state access. */
  readonly users: FakeUsersControl;
  /** Every request answered or dropped since the start (or `resetRequests()`), oldest first. A snapshot. */
  readonly requests: readonly RequestLogEntry[];
  /**
   * How many logged requests match a filter.
   *
   * @example
   * expect(fake.countRequests({ method: 'POST', path: '/api/sessions' })).toBe(1);
   */
  countRequests(filter?: RequestFilter): number;
  /** Empties the request log. */
  resetRequests(): void;
  /** Back to the state right after creation: seed data, no sessions, clock, rate limits, no faults, empty log. */
  reset(): void;
  /**
   * Replaces the seed (each part given replaces that part of the default seed) and resets.
   *
   * @example
   * fake.reseed({ projects: [{ id: 1, name: 'Paper', users: [1], managers: [1], client_id: 1001 }], tasklists: [], tasks: [], entries: [] });
   */
  reseed(seed: Partial<FakePaymoSeed>): void;
  /** Webhook notifications the fake sent, and a way to wait for them. */
  readonly webhooks: WebhooksControl;
}

/**
 * Starts a fake Paymo REST API on 127.0.0.1 (a free port by default) for tests and demos.
 *
 * @example
 * import { createFakePaymo, demoAccounts } from '@paymo/fake-api';
 *
 * const fake = await createFakePaymo();
 * const res = await fetch(`${fake.url}/me`, {
 *   headers: { Authorization: `Basic ${btoa(`${demoAccounts.admin.apiKey}:X`)}`, Accept: 'application/json' },
 * });
 * (await res.json()).users[0].name; // 'Michael Scott'
 * await fake.close();
 */
export async function createFakePaymo(options: FakePaymoOptions = {}): Promise<FakePaymo> {
  const resolved = resolveOptions(options);
  const clock = createClock({ startTime: resolved.startTime, frozen: resolved.frozenClock });
  let seed: FakePaymoSeed = { ...defaultSeed(), ...resolved.seed };
  const newState = () => new FakePaymoState(seed, clock.now(), resolved.sessionLifetimeMs);
  let state = newState();
  const faults = new FaultInjector();
  const limiter = new RateLimiter(clock.now, resolved.rateLimit);
  let requests: RequestLogEntry[] = [];
  let origin = '';
  let closed = false;
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const record = (entry: RequestLogEntry): void => {
    requests.push(entry);
    if (resolved.log) {
      // Session ids are tokens: never print one.
      const path = entry.path.replace(/^(\/api\/sessions\/)([^/]{4})[^/]*/, '$1$2…');
      const who = entry.userId === undefined ? entry.auth : `${entry.auth} user=${entry.userId}`;
      const why = entry.reason ? ` ${entry.reason}` : '';
      resolved.log(`${formatPaymoDate(entry.at)} ${entry.method} ${path} ${entry.status || 'dropped'} ${who}${why}`);
    }
  };

  const webhooks = new WebhookDispatcher(
    () => state,
    (ownerId, event) => {
      const owner = state.users.get(ownerId);
      if (!owner || !owner.active) return false;
      const spec = Object.values(resources).find((candidate) => candidate.model === event.model);
      // A deleted object is gone: its {"id"} goes to every hook that names the event.
      return !spec || event.action === 'delete' || spec.canSee(event.row, { state, user: state.publicUser(owner), now: clock.now() });
    },
  );
  let fake: FakePaymo | undefined;
  const handler = createRequestHandler({
    emit: (event) => webhooks.emit(event),
    control: resolved.controlPath ? createControlHandler(resolved.controlPath, () => fake!, resolved.contentType) : undefined,
    options: resolved,
    clock,
    faults,
    limiter,
    routes: [...resolved.routes.map(customRoute), ...builtInRoutes],
    state: () => state,
    origin: () => origin,
    record,
    sleep: (ms) =>
      new Promise((resolve) => {
        if (closed) return;
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, ms);
        timers.add(timer);
      }),
  });

  const server = createServer({ maxHeaderSize: resolved.maxHeaderBytes }, handler);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    const body = JSON.stringify({ message: status === 431 ? 'Request headers too large' : 'Malformed HTTP request' });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nDate: ${new Date(clock.now()).toUTCString()}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, resolved.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : resolved.port;
  origin = `http://${resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host}:${port}`;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.close(() => resolve());
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
    });
    return closing;
  };

  const userOrThrow = (userId: number) => {
    const user = state.users.get(userId);
    if (!user) throw new Error(`fake Paymo: no user with id ${userId}`);
    return user;
  };

  const sessions: FakeSessionsControl = {
    list: (userId) =>
      [...state.sessions.values()]
        .filter((session) => userId === undefined || session.userId === userId)
        .sort((a, b) => a.createdOn - b.createdOn)
        .map((session) => state.sessionJson(session)),
    get(id) {
      const session = state.sessions.get(id);
      return session && state.sessionJson(session);
    },
    revoke: (id) => state.endSession(id),
    create(userId, createOptions = {}) {
      userOrThrow(userId);
      return state.sessionJson(state.createSession(userId, createOptions.ip ?? '127.0.0.1', clock.now()));
    },
    expire(id) {
      const session = state.sessions.get(id);
      if (!session) return false;
      session.expiresOn = Math.min(session.expiresOn, clock.now());
      return true;
    },
  };

  const setActive = (userId: number, active: boolean) => {
    const user = userOrThrow(userId);
    user.active = active;
    user.updated_on = formatPaymoDate(clock.now());
  };
  const users: FakeUsersControl = {
    get(userId) {
      const user = state.users.get(userId);
      return user && state.publicUser(user);
    },
    list: () => [...state.users.values()].map((user) => state.publicUser(user)),
    archive: (userId) => setActive(userId, false),
    activate: (userId) => setActive(userId, true),
  };

  fake = {
    url: `${origin}/api`,
    origin,
    port,
    close,
    clock,
    faults,
    rateLimit: limiter,
    sessions,
    users,
    get requests() {
      return requests.map((entry) => ({ ...entry }));
    },
    countRequests: (filter = {}) => requests.filter((entry) => matchesRequest(filter, entry.method, entry.path)).length,
    resetRequests() {
      requests = [];
    },
    reset() {
      clock.reset();
      state = newState();
      limiter.restore();
      faults.clear();
      webhooks.clear();
      requests = [];
    },
    reseed(next) {
      const unknown = Object.keys(next).filter((part) => !(part in defaultSeed()));
      if (unknown.length > 0) throw new TypeError(`seed: unknown part ${unknown.map((part) => part.slice(0, 40)).join(', ')}`);
      const candidate: FakePaymoSeed = { ...defaultSeed(), ...next };
      // Checked before it replaces anything: a bad seed leaves the fake as it was.
      new FakePaymoState(candidate, clock.now(), resolved.sessionLifetimeMs);
      seed = candidate;
      fake!.reset();
    },
    webhooks,
  };
  return fake;
}
