// Test harness for the engine: a real fake Paymo API on 127.0.0.1, an engine whose clock is the fake's
// clock, a store that records everything written to it, and helpers that keep every response body and
// log line so tests can assert that no secret ever left the engine.
import { createFakePaymo, demoAccounts, type FakePaymo, type FakePaymoOptions } from '@paymo/fake-api';
import { MemorySessionStore, createPaymoAuth } from '@paymo/auth-core';
import type { PaymoAuth, PaymoAuthLogEvent, PaymoAuthOptions, SessionStore, SessionStoreSetOptions } from '@paymo/auth-core';

export { demoAccounts };

/** Wraps a store: records every value written (a "dump" of the store), and can be made to fail. */
export class RecordingStore implements SessionStore {
  readonly writes: Array<{ key: string; value: string }> = [];
  readonly keysRead: string[] = [];
  failing = false;
  calls = 0;
  /** Runs before each write reaches the store: lets a test slip another operation in between. */
  beforeSet: ((key: string) => Promise<void>) | undefined;

  constructor(readonly inner: MemorySessionStore) {}

  #guard(): void {
    this.calls += 1;
    if (this.failing) throw new Error('store is down (test)');
  }

  async get(key: string) {
    this.#guard();
    this.keysRead.push(key);
    return this.inner.get(key);
  }
  async set(key: string, value: string, ttlMs: number, options?: SessionStoreSetOptions) {
    this.#guard();
    this.writes.push({ key, value });
    await this.beforeSet?.(key);
    return this.inner.set(key, value, ttlMs, options);
  }
  async delete(key: string) {
    this.#guard();
    return this.inner.delete(key);
  }
  async listIndex(index: string) {
    this.#guard();
    return this.inner.listIndex(index);
  }
  async deleteIndex(index: string) {
    this.#guard();
    return this.inner.deleteIndex(index);
  }
  async increment(key: string, windowMs: number, delta?: number) {
    this.#guard();
    return this.inner.increment(key, windowMs, delta);
  }
  async acquireLock(key: string, ttlMs: number) {
    this.#guard();
    return this.inner.acquireLock(key, ttlMs);
  }
  async releaseLock(key: string, owner: string) {
    this.#guard();
    return this.inner.releaseLock(key, owner);
  }
  async close() {
    await this.inner.close();
  }
  /** Every key and value ever written, as one string. */
  dump(): string {
    return this.writes.map(({ key, value }) => `${key}=${value}`).join('\n');
  }
}

export interface SentRequest {
  method?: string;
  cookie?: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Raw body text (sent as is). */
  rawBody?: string;
  secure?: boolean;
  clientIp?: string;
}

export interface Harness {
  fake: FakePaymo;
  auth: PaymoAuth;
  store: RecordingStore;
  logs: PaymoAuthLogEvent[];
  /** Every response body the engine produced in this test. */
  bodies: string[];
  origin: string;
  send(path: string, request?: SentRequest): Promise<{ status: number; headers: Headers; json: any; setCookies: string[] }>;
  signIn(
    credentials: { email: string; password: string } | { apiKey: string },
    request?: SentRequest,
  ): Promise<{ status: number; json: any; cookie: string; cookieValue: string; setCookies: string[]; headers: Headers }>;
  /** `auth.authenticate()` with a cookie (name=value) and/or headers. */
  authenticate(request?: { cookie?: string; headers?: Record<string, string>; secure?: boolean; clientIp?: string }): ReturnType<PaymoAuth['authenticate']>;
  /** Moves the fake's clock, which is also the engine's and the store's clock. */
  advance(ms: number): void;
  /** Paymo session ids (= tokens) the fake knows for a user. */
  tokensOf(userId: number): string[];
  /** Fails the test if any secret appears in a response body, the log or the store. */
  assertNoSecrets(extraSecrets?: string[]): void;
  close(): Promise<void>;
}

const ORIGIN = 'http://app.test';

/** Starts a fake Paymo and an engine on its clock. */
export async function createHarness(
  options: Partial<PaymoAuthOptions> = {},
  fakeOptions: FakePaymoOptions = {},
): Promise<Harness> {
  // Looser than the fake's default quota (5 per 5 s) on purpose: these tests make many Paymo calls per
  // test and check other behaviour; the quota itself is tested in quota.test.ts files.
  const fake = await createFakePaymo({ rateLimit: { limit: 100, decayPeriodSeconds: 10 }, ...fakeOptions });
  const now = () => fake.clock.now();
  const store = new RecordingStore(new MemorySessionStore({ now }));
  const logs: PaymoAuthLogEvent[] = [];
  const bodies: string[] = [];
  const auth = createPaymoAuth({ baseUrl: fake.url, store, now, logger: (event) => logs.push(event), ...options });
  const cookieValues: string[] = [];

  const send: Harness['send'] = async (path, request = {}) => {
    const secure = request.secure ?? false;
    const url = `${secure ? 'https' : 'http'}://app.test${path}`;
    const headers = new Headers(request.headers);
    if (request.cookie) headers.set('cookie', request.cookie);
    let body: string | undefined = request.rawBody;
    if (request.body !== undefined) {
      body = JSON.stringify(request.body);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    }
    const method = request.method ?? (body === undefined ? 'GET' : 'POST');
    const response = await auth.handle(new Request(url, { method, headers, body }), {
      secure,
      clientIp: request.clientIp ?? '203.0.113.7',
    });
    if (response === null) throw new Error(`not an auth route: ${path}`);
    const text = await response.text();
    bodies.push(text);
    return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : null, setCookies: response.headers.getSetCookie() };
  };

  return {
    fake,
    auth,
    store,
    logs,
    bodies,
    origin: ORIGIN,
    send,
    async signIn(credentials, request = {}) {
      const result = await send('/auth/sign-in', { method: 'POST', body: credentials, ...request });
      const cookie = result.setCookies[0]?.split(';')[0] ?? '';
      const cookieValue = cookie.slice(cookie.indexOf('=') + 1);
      if (cookieValue) cookieValues.push(cookieValue);
      return { ...result, cookie, cookieValue };
    },
    authenticate(request = {}) {
      const headers = new Headers(request.headers);
      if (request.cookie) headers.set('cookie', request.cookie);
      const secure = request.secure ?? false;
      return auth.authenticate(
        { method: 'GET', url: `${secure ? 'https' : 'http'}://app.test/api/things`, headers },
        { secure, clientIp: request.clientIp ?? '203.0.113.7' },
      );
    },
    advance(ms) {
      fake.clock.advance(ms);
    },
    tokensOf(userId) {
      return fake.sessions.list(userId).map((session) => session.id);
    },
    assertNoSecrets(extraSecrets = []) {
      const secrets = [
        ...Object.values(demoAccounts).flatMap((account) => [account.password, account.apiKey]),
        ...fake.sessions.list().map((session) => session.id),
        // Ended sessions are gone from the fake's state, but their ids are in the paths that ended them.
        ...fake.requests.flatMap((entry) => /^\/api\/sessions\/([^/]+)$/.exec(entry.path)?.[1] ?? []),
        ...extraSecrets,
      ];
      const logText = JSON.stringify(logs);
      const dump = store.dump();
      for (const secret of secrets) {
        for (const body of bodies) if (body.includes(secret)) throw new Error(`a secret leaked into a response body: ${body}`);
        if (logText.includes(secret)) throw new Error(`a secret leaked into the log: ${logText}`);
        if (dump.includes(secret)) throw new Error('a secret leaked into the store');
      }
      for (const value of cookieValues) {
        if (dump.includes(value)) throw new Error('a cookie value leaked into the store');
        if (logText.includes(value)) throw new Error('a cookie value leaked into the log');
        for (const body of bodies) if (body.includes(value)) throw new Error('a cookie value leaked into a response body');
      }
    },
    async close() {
      await auth.close();
      await store.close();
      await fake.close();
    },
  };
}

export const admin = { email: demoAccounts.admin.email, password: demoAccounts.admin.password };
