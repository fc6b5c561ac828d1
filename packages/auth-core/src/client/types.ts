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
  /** How the client spends the user's Paymo quota; `false`: no budget, no waiting (sends straight through). */
  quota?: PaymoQuotaOptions | false;
}

/**
 * The client's budget of Paymo calls per user (see the README's "Paymo's quota"). Calls beyond the
 * quota wait for the window instead of being sent into a 429; a 429 is waited out (`Retry-After`) and
 * retried for any method, since Paymo did not act on it; identical GETs in flight share one call.
 */
export interface PaymoQuotaOptions {
  /**
   * Longest a call waits for the quota in total (held back, or after 429s) before it rejects with
   * RATE_LIMITED and `retryAfter`. Default 15 000 ms (three 5 s windows: a page of a dozen calls).
   */
  maxWaitMs?: number;
  /** Share identical in-flight GETs (same path and query) of this credential. Default true. */
  shareGets?: boolean;
  /**
   * How long an identical GET's answer is still shared after it arrived, so a burst that reaches the
   * server spread over a few ms still costs one call. Any POST, PUT or DELETE by the same credential
   * ends the sharing (you read your own writes). Default 0 (only while in flight); the engine's
   * per-user clients use 250 ms.
   */
  shareGetsForMs?: number;
  /**
   * A store shared by the fleet (e.g. `RedisSessionStore`): the budget is then counted there, one atomic
   * operation per call (a place in the store's sliding window with `reserve`, so calls are sent in the
   * order they asked; else `admit`; else a fixed window on `increment`), so several processes together
   * stay within the user's quota. Without it the budget is per process.
   */
  store?: SessionStore;
  /** Who the quota belongs to in `store` (e.g. `user:42`; hashed before use). Default: the credential. */
  owner?: string;
  /**
   * @internal The engine's own calls: sent at once (never held, never retried on a 429) but counted in
   * the budget, so the user's other calls know what they spent.
   */
  priority?: boolean;
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
