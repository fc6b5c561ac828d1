import type { PaymoCredential } from '../credentials.js';
import type { PaymoSessionResource, PaymoUser } from '../user.js';
import type { PaymoAuthErrorCode } from '../errors.js';
import type { PaymoClient, PaymoClientOptions, PaymoResponse, PaymoServiceOptions } from './types.js';
import { credentialHeaders } from '../credentialHeaders.js';
import { PaymoAuthError, isPaymoAuthError } from '../errors.js';
import { backoffDelay } from './backoffDelay.js';
import { normalizeBaseUrl } from './normalizeBaseUrl.js';
import { parseRetryAfter } from '../parseRetryAfter.js';
import { parseResponseMeta } from './responseMeta.js';
import { createServiceSession } from './serviceSession.js';
import type { MintedToken, ServiceSession } from './serviceSession.js';
import { upstreamError } from './upstreamError.js';
import { DEFAULT_QUOTA_MAX_WAIT_MS, DEFAULT_SHARE_GETS_FOR_MS, FLEET_WINDOW_MARGIN_MS, QuotaWait, processQuota } from './quotaBudget.js';
import { sha256 } from '../crypto.js';
import type { SessionStore } from '../store/SessionStore.js';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_RENEW_BEFORE_MS = 300_000; // 5 minutes
const METHODS: ReadonlySet<string> = new Set(['GET', 'POST', 'PUT', 'DELETE']);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface SharedGet {
  promise: Promise<PaymoResponse<unknown>>;
}

/**
 * Identical GETs across every client of this process (the engine makes one client per request): per
 * base URL and credential, per path with query. Entries live while in flight and `shareGetsForMs` after.
 */
const sharedGets = new Map<string, Map<string, SharedGet>>();

function configError(message: string): PaymoAuthError {
  return new PaymoAuthError('CONFIG_ERROR', message);
}

function shapeError(what: string): PaymoAuthError {
  return new PaymoAuthError('UPSTREAM_ERROR', `Paymo answered an unexpected shape for ${what}.`);
}

function secretsOf(credential: PaymoCredential, headers: Record<string, string>): string[] {
  const secrets = Object.values(headers);
  // The bare base64 of `user:password` too, not only the whole `Basic ...` header value.
  for (const value of Object.values(headers)) {
    const basic = /^Basic\s+(\S+)$/i.exec(value);
    if (basic) secrets.push(basic[1]!);
  }
  if (credential.type === 'basic') secrets.push(credential.password);
  if (credential.type === 'apiKey') secrets.push(credential.apiKey);
  if (credential.type === 'session') secrets.push(credential.token);
  return secrets;
}

function firstOf(data: unknown, envelope: string, what: string): Record<string, unknown> {
  const list = (data as Record<string, unknown> | null)?.[envelope];
  const first: unknown = Array.isArray(list) ? list[0] : undefined;
  if (typeof first !== 'object' || first === null) throw shapeError(what);
  return first as Record<string, unknown>;
}

function asSession(value: unknown, what: string): PaymoSessionResource {
  const session = value as Partial<PaymoSessionResource> | null;
  if (typeof session?.id !== 'string' || session.id === '' || typeof session.expires_on !== 'string') {
    throw shapeError(what);
  }
  return session as PaymoSessionResource;
}

function positive(value: number | undefined, fallback: number, name: string, allowZero = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw configError(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} finite number.`);
  }
  return value;
}

/**
 * Creates a client for the Paymo REST API over the platform `fetch`.
 *
 * - Sends `Accept: application/json` and the credential (Basic, API key or `X-Session`).
 * - Unwraps Paymo's envelopes (`me()` reads `users[0]`, sessions come in `sessions[]`).
 * - Every failure rejects with a `PaymoAuthError`: 401 -> INVALID_CREDENTIALS, 429 -> RATE_LIMITED
 *   (with `retryAfter`), 5xx / network error / timeout -> UPSTREAM_UNAVAILABLE, any other non-2xx
 *   (including redirects, which are never followed) -> UPSTREAM_ERROR. Messages quote Paymo's
 *   `{"message"}` (or raw text), truncated, with every secret redacted.
 * - GET and DELETE are retried (exponential backoff with jitter) on network errors, timeouts, 5xx and
 *   429 whose `Retry-After` fits in `retry.maxDelayMs`; POST and PUT never are.
 * - `service`: the client mints a session from its Basic/API-key credential, sends `X-Session`, renews
 *   it ahead of expiry (corrected by Paymo's clock skew) with one `POST /sessions` however many calls
 *   are waiting, and renews once then retries once when Paymo refuses the token (401). With
 *   `service.store`, processes share the token (encrypted) and one renewal.
 *
 * Throws CONFIG_ERROR synchronously for a non-https `baseUrl` (http is accepted for loopback hosts),
 * bad numbers, or service mode on a session credential; MALFORMED_CREDENTIALS for a credential that
 * cannot be sent.
 *
 * @example
 * ```ts
 * const paymo = createPaymoClient({
 *   credential: { type: 'apiKey', apiKey: process.env.PAYMO_API_KEY! },
 *   service: { store: redisStore },
 * });
 * const me = await paymo.me();
 * const clients = await paymo.request<{ clients: unknown[] }>('GET', '/clients');
 * ```
 */
export function createPaymoClient(options: PaymoClientOptions): PaymoClient {
  if (typeof options !== 'object' || options === null) throw configError('createPaymoClient needs an options object.');
  return clientFor(resolveClientOptions(options), options.credential, options.service);
}

/** @internal Client options checked and defaulted once: what every client of an engine shares. */
export interface ResolvedClientOptions {
  baseUrl: string;
  timeoutMs: number;
  retry: { retries: number; baseDelayMs: number; maxDelayMs: number };
  fetchImpl: typeof fetch;
  now: () => number;
  quota:
    | { maxWaitMs: number; shareGets: boolean; shareGetsForMs: number; store: SessionStore | undefined; owner: string | undefined; priority: boolean }
    | undefined;
}

/** @internal Checks the options of a client (CONFIG_ERROR naming the option) and applies the defaults. */
export function resolveClientOptions(options: Omit<PaymoClientOptions, 'credential' | 'service'>): ResolvedClientOptions {
  return {
    baseUrl: normalizeBaseUrl(options.baseUrl),
    timeoutMs: positive(options.timeoutMs, DEFAULT_TIMEOUT_MS, 'timeoutMs'),
    retry: options.retry === false ? { retries: 0, baseDelayMs: 0, maxDelayMs: 0 } : {
      retries: Math.floor(positive(options.retry?.retries, 2, 'retry.retries', true)),
      baseDelayMs: positive(options.retry?.baseDelayMs, 200, 'retry.baseDelayMs', true),
      maxDelayMs: positive(options.retry?.maxDelayMs, 2000, 'retry.maxDelayMs', true),
    },
    fetchImpl: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    now: options.now ?? Date.now,
    quota: options.quota === false ? undefined : {
      maxWaitMs: positive(options.quota?.maxWaitMs, DEFAULT_QUOTA_MAX_WAIT_MS, 'quota.maxWaitMs', true),
      shareGets: options.quota?.shareGets ?? true,
      shareGetsForMs: positive(options.quota?.shareGetsForMs, DEFAULT_SHARE_GETS_FOR_MS, 'quota.shareGetsForMs', true),
      store: options.quota?.store,
      owner: options.quota?.owner,
      priority: options.quota?.priority === true,
    },
  };
}

/** The store key of a quota key's fleet-wide window (hashed: a quota key may hold a credential). */
function fleetKeyOf(key: string): Promise<string> {
  // One digest per quota key, shared: calls of one key reach the store in the order they asked (separate
  // digests may finish out of order). Bounded, as the engine's clients have one key per user.
  let hashed = fleetKeys.get(key);
  if (hashed === undefined) {
    if (fleetKeys.size >= 10_000) fleetKeys.clear();
    hashed = sha256(key).then((digest) => `quota:${digest}`);
    fleetKeys.set(key, hashed);
    hashed.catch(() => fleetKeys.delete(key));
  }
  return hashed;
}
const fleetKeys = new Map<string, Promise<string>>();

/** The store key of `key`'s fleet window and its length: the decay period learnt, plus a margin. */
async function fleetWindowOf(key: string): Promise<{ hashed: string; windowMs: number }> {
  const { periodMs } = processQuota.describe(key);
  return { hashed: await fleetKeyOf(key), windowMs: periodMs + FLEET_WINDOW_MARGIN_MS };
}

/**
 * One try at the fleet's window of `key`: with `limit`, admits a call (0) or says how long to wait
 * (ms); without, counts `calls` whatever the count (the engine's own calls, which never wait). A
 * sliding window where the store has one (`admit`): then no Paymo window, however it is aligned, sees
 * more than the limit. Else a fixed window on `increment`, a little longer than Paymo's.
 */
async function fleetTry(store: SessionStore, key: string, limit: number | undefined, calls = 1): Promise<number> {
  const { hashed, windowMs } = await fleetWindowOf(key);
  if (store.admit) return store.admit(hashed, windowMs, limit ?? Number.MAX_SAFE_INTEGER, calls);
  if (store.reserve && limit === undefined) {
    // Counting only (the engine's calls), in the window the data calls' places are in: an uncapped
    // place is always now.
    for (let i = 0; i < calls; i++) await store.reserve(hashed, windowMs, Number.MAX_SAFE_INTEGER, 0);
    return 0;
  }
  const counted = await store.increment(hashed, windowMs, calls);
  return limit === undefined || counted.count <= limit ? 0 : Math.max(1, counted.resetInMs);
}

/**
 * A place in line in the fleet's window of `key` (the store's `reserve`): the ms until this call may be
 * sent, the place recorded, or more than `maxWaitMs` with nothing recorded. Calls are so sent in the
 * order they asked, in whichever process: a call that waited longest is not overtaken by a newer one.
 */
async function fleetReserve(store: SessionStore, key: string, limit: number | undefined, maxWaitMs: number): Promise<number> {
  const { hashed, windowMs } = await fleetWindowOf(key);
  return store.reserve!(hashed, windowMs, limit ?? Number.MAX_SAFE_INTEGER, maxWaitMs);
}

/** Counts the engine's `calls` in the fleet's window of `key`, without waiting; a failing store counts nothing. */
function fleetCount(store: SessionStore, key: string, calls: number): Promise<void> {
  return fleetTry(store, key, undefined, calls).then(
    () => undefined,
    () => undefined,
  );
}

/**
 * @internal Counts `calls` that `owner` (a Paymo user) spent through no budgeted client, such as a
 * sign-in's `POST /sessions` and `GET /me`, made before the user was known: Paymo counts them in the
 * user's window, so this process's budget and the fleet's (when `resolved` has a shared store) must too.
 */
export async function chargeQuota(resolved: ResolvedClientOptions, owner: string, calls: number): Promise<void> {
  if (!resolved.quota) return;
  const key = `${resolved.baseUrl} ${owner}`;
  processQuota.spend(key, calls);
  if (resolved.quota.store) await fleetCount(resolved.quota.store, key, calls);
}

/**
 * @internal A client on options resolved once (the engine makes one per request and credential):
 * only the credential is checked here. `who` names whose quota its calls spend (`owner`) and whether
 * they are the engine's own (`priority`).
 */
export function clientFor(
  resolved: ResolvedClientOptions,
  credential: PaymoCredential,
  serviceOption?: PaymoServiceOptions | boolean,
  who: { owner?: string; priority?: boolean } = {},
): PaymoClient {
  const { baseUrl, timeoutMs, retry, fetchImpl, now } = resolved;
  const quota = resolved.quota && {
    ...resolved.quota,
    ...(who.owner === undefined ? {} : { owner: who.owner }),
    ...(who.priority === undefined ? {} : { priority: who.priority }),
  };
  const credentialAuth = credentialHeaders(credential);
  const secrets = secretsOf(credential, credentialAuth);
  // One budget per Paymo user as far as this client can tell: the base URL and the credential (kept
  // in memory only, like the credential itself).
  const quotaKey = `${baseUrl} ${Object.values(credentialAuth).join(' ')}`;

  /** One HTTP exchange, body included, within `timeoutMs`. */
  async function attempt(
    method: Method,
    path: string,
    body: unknown,
    auth: Record<string, string>,
    unauthorizedCode: PaymoAuthErrorCode,
  ): Promise<PaymoResponse<unknown>> {
    const headers: Record<string, string> = { Accept: 'application/json', ...auth };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    try {
      let response: Response;
      let text: string;
      try {
        response = await fetchImpl(`${baseUrl}${path}`, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: controller.signal,
          // A redirect would carry X-Session to wherever it points.
          redirect: 'manual',
        });
        text = await response.text();
      } catch (cause) {
        throw timedOut
          ? new PaymoAuthError('UPSTREAM_UNAVAILABLE', `Paymo did not answer within ${timeoutMs} ms.`, { cause })
          : new PaymoAuthError('UPSTREAM_UNAVAILABLE', 'Paymo could not be reached.', { cause });
      }
      const receivedAt = now();
      const meta = parseResponseMeta(response, receivedAt);
      if (response.status < 200 || response.status > 299) {
        throw upstreamError({
          status: response.status,
          body: text,
          retryAfter: parseRetryAfter(response.headers, receivedAt),
          secrets: [...secrets, ...Object.values(auth)],
          unauthorizedCode,
          date: meta.clockSkewMs === 0 ? undefined : receivedAt + meta.clockSkewMs,
        });
      }
      if (text.trim() === '') return { data: null, meta };
      try {
        return { data: JSON.parse(text) as unknown, meta };
      } catch (cause) {
        throw new PaymoAuthError('UPSTREAM_ERROR', `Paymo answered ${response.status} with a body that is not JSON.`, { cause });
      }
    } finally {
      clearTimeout(timer);
    }
  }

  /** How long to wait before retrying after `error`, or undefined when it must not be retried. */
  function retryDelay(error: unknown, attemptIndex: number): number | undefined {
    if (!isPaymoAuthError(error)) return undefined;
    const backoff = backoffDelay(attemptIndex, retry.baseDelayMs, retry.maxDelayMs);
    const retryAfterMs = error.retryAfter === undefined ? undefined : error.retryAfter * 1000;
    if (error.code === 'RATE_LIMITED') {
      // With a budget, 429s were already waited out up to quota.maxWaitMs.
      if (quota) return undefined;
      return retryAfterMs !== undefined && retryAfterMs <= retry.maxDelayMs ? Math.max(retryAfterMs, backoff) : undefined;
    }
    if (error.code !== 'UPSTREAM_UNAVAILABLE') return undefined;
    if (retryAfterMs === undefined) return backoff;
    return retryAfterMs <= retry.maxDelayMs ? Math.max(retryAfterMs, backoff) : undefined;
  }

  function quotaExceeded(waitMs: number, cause?: unknown): PaymoAuthError {
    return new PaymoAuthError('RATE_LIMITED', "The user's Paymo quota is spent. Try again shortly.", {
      retryAfter: Math.max(1, Math.ceil(waitMs / 1000)),
      ...(cause === undefined ? {} : { cause }),
    });
  }

  /**
   * One attempt within the user's budget: waits for room in the quota, sends, and on a 429 waits
   * `Retry-After` and sends again (any method: Paymo did not act), all within `quota.maxWaitMs`.
   */
  async function budgeted(
    method: Method,
    path: string,
    body: unknown,
    auth: Record<string, string>,
    unauthorizedCode: PaymoAuthErrorCode,
  ): Promise<PaymoResponse<unknown>> {
    if (!quota) return attempt(method, path, body, auth, unauthorizedCode);
    const key = quota.owner === undefined ? `${quotaKey} ${Object.values(auth).join(' ')}` : `${baseUrl} ${quota.owner}`;
    const deadline = now() + quota.maxWaitMs;
    for (;;) {
      try {
        if (quota.priority) {
          // Never waits, but counts: the fleet's data calls see the engine's calls spent too.
          processQuota.take(key);
          if (quota.store) void fleetCount(quota.store, key, 1);
        } else if (quota.store?.reserve && (await fleetQueue(quota.store, key, deadline))) {
          // The fleet's line decided when: this process only counts the call (holding it here too
          // would let a newer call of another process overtake it).
          processQuota.take(key);
        } else await processQuota.acquire(key, Math.max(0, deadline - now()));
        if (quota.store && !quota.store.reserve && !quota.priority) {
          try {
            await fleetAcquire(quota.store, key, deadline);
          } catch (error) {
            processQuota.abandon(key); // the local slot taken above was not used
            throw error;
          }
        }
      } catch (error) {
        if (error instanceof QuotaWait) throw quotaExceeded(error.ms);
        throw error;
      }
      let response: PaymoResponse<unknown>;
      try {
        response = await attempt(method, path, body, auth, unauthorizedCode);
      } catch (error) {
        if (isPaymoAuthError(error) && error.code === 'RATE_LIMITED') {
          processQuota.settle(key, undefined, now(), error.retryAfter ?? 1);
          const waitMs = (error.retryAfter ?? 1) * 1000;
          if (quota.priority || now() + waitMs > deadline) throw error;
          continue;
        }
        if (isPaymoAuthError(error) && error.upstreamStatus !== undefined) processQuota.settle(key, {}, now());
        else processQuota.abandon(key);
        throw error;
      }
      processQuota.settle(key, response.meta.rateLimit, now());
      return response;
    }
  }

  /** Waits out a 429's `Retry-After` learnt for `key`, or throws when it ends after `deadline`. */
  async function waitOutBlock(key: string, deadline: number): Promise<ReturnType<typeof processQuota.describe>> {
    for (;;) {
      const learnt = processQuota.describe(key);
      if (learnt.blockedForMs === 0) return learnt;
      if (now() + learnt.blockedForMs > deadline) throw new QuotaWait(learnt.blockedForMs);
      await sleep(learnt.blockedForMs);
    }
  }

  /**
   * The fleet budget on a store with `reserve`: one place in the fleet's line per call, then the wait
   * until it comes, so calls are sent in the order they asked whichever process they are in. Resolves
   * false when the store failed (or answered what is not a wait, a custom store's bug): this process's
   * budget then decides, as the quota is no reason to fail a call.
   */
  async function fleetQueue(store: SessionStore, key: string, deadline: number): Promise<boolean> {
    const learnt = await waitOutBlock(key, deadline);
    const maxWaitMs = Math.max(0, deadline - now());
    let waitMs: number;
    try {
      waitMs = await fleetReserve(store, key, learnt.limit, maxWaitMs);
    } catch {
      return false;
    }
    if (!(waitMs >= 0 && waitMs < Infinity)) return false;
    if (waitMs > maxWaitMs) throw new QuotaWait(waitMs);
    if (waitMs === 0) return true;
    await sleep(waitMs);
    // A 429 met by another call while this one waited: the place is spent, Paymo's wait still holds.
    await waitOutBlock(key, deadline);
    return true;
  }

  /**
   * The fleet budget on a store without `reserve`: one `admit` (or `increment`, see `fleetTry`) per
   * try; over the limit, waits as long as the store says and tries again. A store that fails falls back
   * to this process's budget (already taken): the quota is no reason to fail a call.
   */
  async function fleetAcquire(store: SessionStore, key: string, deadline: number): Promise<void> {
    for (;;) {
      const learnt = await waitOutBlock(key, deadline);
      let waitMs: number;
      try {
        waitMs = await fleetTry(store, key, learnt.limit);
      } catch {
        return; // this process's budget (already taken) stands in
      }
      // An answer that is not a wait (a custom store's bug) counts as a failing store too.
      if (!(waitMs > 0 && waitMs < Infinity)) return; // 0: admitted
      if (now() + waitMs > deadline) throw new QuotaWait(waitMs);
      await sleep(waitMs);
    }
  }

  /** Identical GETs for this credential share one upstream call (see `quota.shareGetsForMs`). */
  async function send(
    method: Method,
    path: string,
    body: unknown,
    auth: Record<string, string>,
    unauthorizedCode: PaymoAuthErrorCode = 'INVALID_CREDENTIALS',
  ): Promise<PaymoResponse<unknown>> {
    const owner = `${quotaKey} ${Object.values(auth).join(' ')}`;
    if (!quota?.shareGets) return sendUnshared(method, path, body, auth, unauthorizedCode);
    if (method !== 'GET') {
      sharedGets.get(owner)?.clear();
      return sendUnshared(method, path, body, auth, unauthorizedCode);
    }
    let mine = sharedGets.get(owner);
    const shared = mine?.get(path);
    if (shared) return shared.promise;
    if (!mine) sharedGets.set(owner, (mine = new Map()));
    const entry: SharedGet = { promise: sendUnshared(method, path, body, auth, unauthorizedCode) };
    mine.set(path, entry);
    const forget = () => {
      const current = sharedGets.get(owner);
      if (current?.get(path) !== entry) return;
      current.delete(path);
      if (current.size === 0) sharedGets.delete(owner);
    };
    entry.promise.then(
      () => {
        if (quota.shareGetsForMs === 0) forget();
        else (setTimeout(forget, quota.shareGetsForMs) as { unref?: () => void }).unref?.();
      },
      // A failure is never shared with later callers.
      forget,
    );
    return entry.promise;
  }

  async function sendUnshared(
    method: Method,
    path: string,
    body: unknown,
    auth: Record<string, string>,
    unauthorizedCode: PaymoAuthErrorCode,
  ): Promise<PaymoResponse<unknown>> {
    // Only idempotent methods: a POST that timed out may have created something.
    const attempts = method === 'GET' || method === 'DELETE' ? 1 + retry.retries : 1;
    for (let index = 0; ; index++) {
      try {
        return await budgeted(method, path, body, auth, unauthorizedCode);
      } catch (error) {
        const delay = index + 1 < attempts ? retryDelay(error, index) : undefined;
        if (delay === undefined) throw error;
        await sleep(delay);
      }
    }
  }

  async function mint(): Promise<MintedToken> {
    const { data, meta } = await send('POST', '/sessions', undefined, credentialAuth);
    const session = asSession(firstOf(data, 'sessions', 'POST /sessions'), 'POST /sessions');
    const serverExpiry = Date.parse(session.expires_on);
    // expires_on is on Paymo's clock; ours differs by the skew its Date header revealed.
    const expiresAtMs = serverExpiry - meta.clockSkewMs;
    if (!Number.isFinite(serverExpiry) || expiresAtMs <= now()) throw shapeError('POST /sessions (expires_on)');
    return { token: session.id, expiresAtMs };
  }

  const service = serviceOption ? serviceSessionFor(serviceOption === true ? {} : serviceOption) : null;

  function serviceSessionFor(serviceOptions: PaymoServiceOptions): ServiceSession {
    if (credential.type === 'session') {
      throw configError('Service mode needs a basic or apiKey credential to mint sessions from.');
    }
    const lockTtlMs = timeoutMs + 5_000;
    return createServiceSession({
      credential,
      baseUrl,
      mint,
      now,
      renewBeforeMs: positive(serviceOptions.renewBeforeMs, DEFAULT_RENEW_BEFORE_MS, 'service.renewBeforeMs', true),
      store: serviceOptions.store,
      storeKeyPrefix: serviceOptions.storeKey,
      lockTtlMs,
      waitForOtherMs: lockTtlMs + 1_000,
    });
  }

  async function call(method: Method, path: string, body?: unknown): Promise<PaymoResponse<unknown>> {
    if (!METHODS.has(method)) throw configError(`Unsupported method ${String(method)}.`);
    if (typeof path !== 'string' || !path.startsWith('/') || path.startsWith('//')) {
      throw configError('The request path must start with a single "/" (relative to baseUrl).');
    }
    if (!service) return send(method, path, body, credentialAuth);
    const token = await service.token();
    try {
      return await send(method, path, body, { 'X-Session': token });
    } catch (error) {
      if (!isPaymoAuthError(error) || error.status !== 401 || error.code !== 'INVALID_CREDENTIALS') throw error;
      // Revoked or expired early: a 401 means Paymo did nothing, so one retry is safe for any method.
      const renewed = await service.renew(token);
      return send(method, path, body, { 'X-Session': renewed });
    }
  }

  return {
    async me(): Promise<PaymoUser> {
      const { data } = await call('GET', '/me');
      const user = firstOf(data, 'users', 'GET /me');
      if (typeof user.id !== 'number') throw shapeError('GET /me');
      return user as PaymoUser;
    },
    sessions: {
      async create() {
        const { data, meta } = await send('POST', '/sessions', undefined, credentialAuth);
        return { ...asSession(firstOf(data, 'sessions', 'POST /sessions'), 'POST /sessions'), meta };
      },
      async list() {
        const { data } = await call('GET', '/sessions');
        const list = (data as { sessions?: unknown } | null)?.sessions;
        if (!Array.isArray(list)) throw shapeError('GET /sessions');
        return list.map((session) => asSession(session, 'GET /sessions'));
      },
      async get(id: string) {
        if (typeof id !== 'string' || id === '') throw configError('sessions.get needs a session id.');
        const { data } = await call('GET', `/sessions/${encodeURIComponent(id)}`);
        return asSession(firstOf(data, 'sessions', 'GET /sessions/:id'), 'GET /sessions/:id');
      },
      async delete(id: string) {
        if (typeof id !== 'string' || id === '') throw configError('sessions.delete needs a session id.');
        await call('DELETE', `/sessions/${encodeURIComponent(id)}`);
      },
    },
    async request<T>(method: Method, path: string, body?: unknown): Promise<T> {
      return (await call(method, path, body)).data as T;
    },
    async requestWithMeta<T>(method: Method, path: string, body?: unknown): Promise<PaymoResponse<T>> {
      return (await call(method, path, body)) as PaymoResponse<T>;
    },
  };
}
