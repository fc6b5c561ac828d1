import type { PaymoCredential } from '../credentials.js';
import type { PaymoSessionResource, PaymoUser } from '../user.js';
import type { PaymoAuthErrorCode } from '../errors.js';
import type { PaymoClient, PaymoClientOptions, PaymoResponse, PaymoServiceOptions } from './types.js';
import { credentialHeaders } from '../credentialHeaders.js';
import { PaymoAuthError, isPaymoAuthError } from '../errors.js';
import { backoffDelay } from './backoffDelay.js';
import { normalizeBaseUrl } from './normalizeBaseUrl.js';
import { parseResponseMeta, parseRetryAfter } from './responseMeta.js';
import { createServiceSession } from './serviceSession.js';
import type { MintedToken, ServiceSession } from './serviceSession.js';
import { upstreamError } from './upstreamError.js';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_RENEW_BEFORE_MS = 5 * 60_000;
const METHODS: ReadonlySet<string> = new Set(['GET', 'POST', 'PUT', 'DELETE']);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

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
  const { credential } = options;
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  const credentialAuth = credentialHeaders(credential);
  const secrets = secretsOf(credential, credentialAuth);
  const timeoutMs = positive(options.timeoutMs, DEFAULT_TIMEOUT_MS, 'timeoutMs');
  const retry = options.retry === false ? { retries: 0, baseDelayMs: 0, maxDelayMs: 0 } : {
    retries: Math.floor(positive(options.retry?.retries, 2, 'retry.retries', true)),
    baseDelayMs: positive(options.retry?.baseDelayMs, 200, 'retry.baseDelayMs', true),
    maxDelayMs: positive(options.retry?.maxDelayMs, 2000, 'retry.maxDelayMs', true),
  };
  const fetchImpl: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const now = options.now ?? Date.now;

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
      return retryAfterMs !== undefined && retryAfterMs <= retry.maxDelayMs ? Math.max(retryAfterMs, backoff) : undefined;
    }
    if (error.code !== 'UPSTREAM_UNAVAILABLE') return undefined;
    if (retryAfterMs === undefined) return backoff;
    return retryAfterMs <= retry.maxDelayMs ? Math.max(retryAfterMs, backoff) : undefined;
  }

  async function send(
    method: Method,
    path: string,
    body: unknown,
    auth: Record<string, string>,
    unauthorizedCode: PaymoAuthErrorCode = 'INVALID_CREDENTIALS',
  ): Promise<PaymoResponse<unknown>> {
    // Only idempotent methods: a POST that timed out may have created something.
    const attempts = method === 'GET' || method === 'DELETE' ? 1 + retry.retries : 1;
    for (let index = 0; ; index++) {
      try {
        return await attempt(method, path, body, auth, unauthorizedCode);
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

  const service = options.service ? serviceSessionFor(options.service === true ? {} : options.service) : null;

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
