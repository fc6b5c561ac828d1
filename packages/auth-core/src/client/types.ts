import type { PaymoCredential } from '../credentials.js';
import type { PaymoSessionResource, PaymoUser } from '../user.js';
import type { SessionStore } from '../store/SessionStore.js';

/** Paymo's documented rate-limit headers, parsed. Absent headers are `undefined`. */
export interface PaymoRateLimit {
  limit?: number;
  remaining?: number;
  decayPeriodSeconds?: number;
}

/** What every upstream response tells us besides its body. */
export interface PaymoResponseMeta {
  status: number;
  rateLimit: PaymoRateLimit;
  /** Paymo's clock minus ours, in ms, from the `Date` header (0 when absent). */
  clockSkewMs: number;
}

/** Retry policy for idempotent requests (GET/DELETE) on network errors, 5xx and 429. */
export interface PaymoRetryOptions {
  /** Extra attempts after the first. Default 2. 0 disables retries. */
  retries?: number;
  /** First backoff in ms, doubled each time, with jitter. Default 200. */
  baseDelayMs?: number;
  /** Never wait longer than this for one retry (a longer Retry-After is not waited for). Default 2000. */
  maxDelayMs?: number;
}

/** Service mode: mint and renew a session token from an API key (or email/password). */
export interface PaymoServiceOptions {
  /** Renew this long before the token expires. Default 5 minutes. */
  renewBeforeMs?: number;
  /** Share the token (encrypted) and a renewal lock across processes through this store. */
  store?: SessionStore;
  /** Store key namespace for the shared token. Default derived from a hash of the credential. */
  storeKey?: string;
}

/** Options of {@link createPaymoClient}. */
export interface PaymoClientOptions {
  /** Default `https://app.paymoapp.com/api`. */
  baseUrl?: string;
  credential: PaymoCredential;
  /** Default the platform `fetch`. */
  fetch?: typeof fetch;
  /** Per-attempt timeout. Default 10 000 ms. */
  timeoutMs?: number;
  retry?: PaymoRetryOptions | false;
  /**
   * When set (and the credential is `basic` or `apiKey`), the client mints a Paymo session and
   * authenticates with `X-Session`, renewing it ahead of expiry (single-flight).
   */
  service?: PaymoServiceOptions | boolean;
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number;
}

/** Result of {@link PaymoClient.request}. */
export interface PaymoResponse<T = unknown> {
  data: T;
  meta: PaymoResponseMeta;
}

/**
 * A typed client for the Paymo API. Every failure rejects with a `PaymoAuthError`:
 * 401 -> INVALID_CREDENTIALS (or SESSION_EXPIRED/SESSION_REVOKED for tokens when known),
 * 429 -> RATE_LIMITED with `retryAfter`, 5xx/network/timeout -> UPSTREAM_UNAVAILABLE, other 4xx -> UPSTREAM_ERROR.
 */
export interface PaymoClient {
  /** `GET /me` -> the authenticated user. */
  me(): Promise<PaymoUser>;
  sessions: {
    /** `POST /sessions` (empty body) with the client's Basic/API-key credential. */
    create(): Promise<PaymoSessionResource & { meta: PaymoResponseMeta }>;
    list(): Promise<PaymoSessionResource[]>;
    get(id: string): Promise<PaymoSessionResource>;
    delete(id: string): Promise<void>;
  };
  /** Any documented endpoint; `path` is relative to `baseUrl` (e.g. `/clients`). Returns the parsed JSON body. */
  request<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T>;
  /** Same as `request` but also returns status, rate-limit headers and clock skew. */
  requestWithMeta<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<PaymoResponse<T>>;
}
