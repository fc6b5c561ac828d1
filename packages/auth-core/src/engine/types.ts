import type { PaymoAuthError } from '../errors.js';
import type { PaymoClient } from '../client/types.js';
import type { SessionStore } from '../store/SessionStore.js';
import type { PaymoPublicSession, PaymoPublicUser, PaymoAuthStrategy } from '../publicSession.js';
import type { PaymoUser } from '../user.js';
import type { PaymoProxyOptions } from './proxyAllowList.js';

/** Which incoming credentials `authenticate()` accepts. */
export interface PaymoAuthStrategies {
  /** The HttpOnly cookie set by `POST {basePath}/sign-in`. Default true. */
  cookie?: boolean;
  /** `X-Session: <paymo token>` from API clients, validated upstream and cached briefly. Default true. */
  sessionHeader?: boolean;
  /** `Authorization: Basic` (email:password or apiKey:any), validated upstream and cached briefly. Default true. */
  basic?: boolean;
}

/** Options of {@link createPaymoAuth}. Every field is optional. */
export interface PaymoAuthOptions {
  /** Paymo API base URL. Default `process.env.PAYMO_API_URL` or `https://app.paymoapp.com/api`. */
  baseUrl?: string;
  /** Where the auth routes live. Default `/auth`. */
  basePath?: string;
  /** Default: a bounded in-memory store (one process only). */
  store?: SessionStore;
  strategies?: PaymoAuthStrategies;
  session?: {
    /** Absolute maximum age of a local session. Default 7 days. */
    maxAgeMs?: number;
    /** Ends a session unused for this long. Default 24 hours. */
    idleTimeoutMs?: number;
    /** Write "last seen" at most this often per session. Default 60 s. */
    touchIntervalMs?: number;
    /**
     * Re-check the Paymo session upstream at most this often, so a session ended in Paymo is noticed
     * within this bound. Default 60 s. Single-flight per session.
     */
    revalidateAfterMs?: number;
    /**
     * When a re-check falls due while Paymo is down or rate limiting, a session that was valid keeps
     * being served, marked `degraded`, for this long past its re-check time; then requests fail closed
     * (503 / 429). The revocation bound is `revalidateAfterMs` + this grace. Default 5 minutes; 0 fails
     * closed at once.
     */
    revalidateGraceMs?: number;
    /**
     * Most live local sessions per Paymo user. A sign-in beyond it ends that user's oldest local
     * session (its Paymo session then expires on its own: only that browser's cookie can open its
     * token). Keeps one account signing in in a loop from filling the store. Default 10.
     */
    maxPerUser?: number;
  };
  /** How long a pass-through credential's verdict (X-Session or Basic) is cached. Default 30 s. */
  passThroughCacheMs?: number;
  /**
   * Most cached pass-through verdicts per Paymo user (one per distinct token or credential); the
   * oldest go first. Refused credentials are never cached in the store, only in the process. Default 20.
   */
  passThroughMaxPerUser?: number;
  /**
   * Optional server secret (at least 32 characters, the same on every instance) that authenticates
   * every record the engine writes to the store, so a record written by anyone else is ignored. Use it
   * when others can write to your store (a shared Redis). Without it (the default) records are trusted
   * as far as the design allows: tokens are sealed under the browser's cookie, and Paymo is asked at
   * every re-check whose session it is. Changing it ends every session.
   */
  secret?: string;
  /**
   * The Paymo proxy: `ANY {basePath}/paymo/<path>` forwards to Paymo `/api/<path>` as the signed-in
   * user, for what `allow` lists only (nothing by default), e.g.
   * `{ allow: ['GET projects', 'GET projects/:id', 'GET tasks', 'POST entries', 'DELETE entries/:id'] }`.
   * Off the list: 403 PROXY_FORBIDDEN. Writes pass the same Origin checks as sign-in.
   */
  proxy?: PaymoProxyOptions;
  cookie?: {
    /** Default `paymo.sid` (`__Host-paymo.sid` over HTTPS). */
    name?: string;
    /** Default 'lax'. */
    sameSite?: 'lax' | 'strict';
  };
  /** Origins allowed to POST to the auth routes, besides the request's own. */
  trustedOrigins?: string[];
  signInRateLimit?: {
    /**
     * Attempts per IP per window. Default 20. Counts sign-ins and pass-through credentials not yet
     * cached, reserved before the call to Paymo and given back when the attempt succeeds.
     */
    perIp?: number;
    /**
     * Attempts per account (email or API key) per window, sign-in and pass-through together. Default 5.
     * Attempts that met a Paymo 429 count; while Paymo rate limits an account, its attempts are
     * answered 429 locally until Paymo's Retry-After has passed.
     */
    perAccount?: number;
    /** Default 15 minutes. */
    windowMs?: number;
  };
  /** Upstream timeout per attempt. Default 10 000 ms. */
  timeoutMs?: number;
  /** Largest accepted body of `POST {basePath}/sign-in`, in bytes (larger: 413). Default 8 KiB. */
  maxBodyBytes?: number;
  fetch?: typeof fetch;
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number;
  /** Called with events worth logging. Never receives a secret. */
  logger?: (event: PaymoAuthLogEvent) => void;
  /**
   * A request that sent a credential which could not be checked (store down, Paymo unavailable or rate
   * limiting: 429/502/503) is answered with that typed error by default, on every route the Node
   * adapters authenticate: serving it as anonymous would fail open. `'anonymous'` lets it through
   * unauthenticated (`state.error` says why). See {@link PaymoAuth.refusal}.
   */
  onUnavailable?: 'respond' | 'anonymous';
}

/** A log event. Fields never contain passwords, API keys, tokens or cookie values. */
export interface PaymoAuthLogEvent {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  code?: string;
  userId?: number;
}

/** Facts about the request that only the framework knows (proxy trust, socket address). */
export interface PaymoRequestContext {
  /** Client IP as the framework sees it (honouring its proxy trust). */
  clientIp?: string;
  /** Whether the original request was HTTPS (honouring proxy trust). */
  secure?: boolean;
  /**
   * A body a framework's parser already read (Express's or Nest's `req.body` after `express.json()`),
   * used by the auth routes instead of the request's own body, which is then consumed: a string or
   * bytes are parsed as JSON, an object is taken as parsed. Content-Length still caps it.
   */
  parsedBody?: unknown;
}

/** The minimal request shape `authenticate()` reads; a Web `Request` fits, and so does a cheap Node wrapper. */
export interface PaymoAuthRequestLike {
  readonly method: string;
  readonly url: string;
  readonly headers: { get(name: string): string | null };
}

/** The outcome of {@link PaymoAuth.authenticate}. */
export type PaymoAuthState =
  | {
      authenticated: true;
      user: PaymoPublicUser & Partial<PaymoUser>;
      session: PaymoPublicSession;
      strategy: PaymoAuthStrategy;
      /** A Paymo client acting as this user (their token, or their pass-through credential). */
      client: PaymoClient;
    }
  | {
      authenticated: false;
      /** Why not: MISSING_CREDENTIALS when nothing was sent, otherwise the typed failure. */
      error: PaymoAuthError;
      /** Set-Cookie values to send (e.g. clearing an expired session cookie). */
      setCookies: string[];
    };

/** The auth state of a signed-in request: user, public session, strategy and a Paymo client acting as the user. */
export type PaymoAuthenticatedState = Extract<PaymoAuthState, { authenticated: true }>;

/** The engine adapters wrap. */
export interface PaymoAuth {
  readonly basePath: string;
  /**
   * Answers a request under `basePath` (the routes of the HTTP contract), or resolves `null` when
   * the path is not one of ours. Never rejects: failures become JSON error responses.
   */
  handle(request: Request, context?: PaymoRequestContext): Promise<Response | null>;
  /** The request's auth state. Never rejects. */
  authenticate(request: PaymoAuthRequestLike, context?: PaymoRequestContext): Promise<PaymoAuthState>;
  /**
   * The same state without a promise, when it is known without I/O: a cookie session in an in-process
   * store (`SessionStore.peek`), with no re-check or "last seen" write due. Undefined otherwise (call
   * `authenticate`). Adapters try it first: most requests of a signed-in user take this path.
   */
  authenticateNow(request: PaymoAuthRequestLike, context?: PaymoRequestContext): PaymoAuthenticatedState | undefined;
  /**
   * Turns any error into the shared JSON error response (status, body, `Cache-Control: no-store`,
   * `Retry-After`, and on 401 `WWW-Authenticate`). Pass the request so that the `Basic` challenge is
   * only offered to non-browser clients (a browser would pop up its own login dialog).
   */
  errorResponse(error: unknown, request?: PaymoAuthRequestLike): Response;
  /** Largest accepted auth-route body in bytes; adapters pass it to `toWebRequest`. */
  readonly maxBodyBytes: number;
  /** True when `pathname` is under `basePath` (cheap; adapters call it before building a Request). */
  ownsPath(pathname: string): boolean;
  /**
   * The error to answer instead of carrying on with `state`, by the `onUnavailable` policy: a
   * credential was sent but could not be checked (429 RATE_LIMITED, 503 STORE_UNAVAILABLE /
   * UPSTREAM_UNAVAILABLE, 502 UPSTREAM_ERROR), so the request may well be a signed-in user's and must
   * not pass as anonymous. Undefined when signed in, when nothing was sent, when the credential is
   * wrong or over (the request is then anonymous), and always with `onUnavailable: 'anonymous'`.
   */
  refusal(state: PaymoAuthState): PaymoAuthError | undefined;
  /**
   * A service-mode client on this engine's Paymo (its base URL, timeout, fetch and clock) with its
   * own API key, sharing the engine's store for the fleet-wide token (see `createServiceClient`).
   */
  serviceClient(apiKey: string): PaymoClient;
  /** Frees timers and the default store. */
  close(): Promise<void>;
}
