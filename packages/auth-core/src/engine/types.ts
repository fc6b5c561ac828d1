import type { PaymoAuthError } from '../errors.js';
import type { PaymoClient } from '../client/types.js';
import type { SessionStore } from '../store/SessionStore.js';
import type { PaymoPublicSession, PaymoPublicUser, PaymoAuthStrategy } from '../publicSession.js';
import type { PaymoUser } from '../user.js';

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
  };
  /** How long a pass-through credential's verdict (X-Session or Basic) is cached. Default 30 s. */
  passThroughCacheMs?: number;
  cookie?: {
    /** Default `paymo.sid` (`__Host-paymo.sid` over HTTPS). */
    name?: string;
    /** Default 'lax'. */
    sameSite?: 'lax' | 'strict';
  };
  /** Origins allowed to POST to the auth routes, besides the request's own. */
  trustedOrigins?: string[];
  signInRateLimit?: {
    /** Attempts per IP per window. Default 20. */
    perIp?: number;
    /** Attempts per account (email or API key) per window. Default 5. */
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
   * Turns any error into the shared JSON error response (status, body, `Cache-Control: no-store`,
   * `Retry-After`, and on 401 `WWW-Authenticate`). Pass the request so that the `Basic` challenge is
   * only offered to non-browser clients (a browser would pop up its own login dialog).
   */
  errorResponse(error: unknown, request?: PaymoAuthRequestLike): Response;
  /** Largest accepted auth-route body in bytes; adapters pass it to `toWebRequest`. */
  readonly maxBodyBytes: number;
  /** True when `pathname` is under `basePath` (cheap; adapters call it before building a Request). */
  ownsPath(pathname: string): boolean;
  /** Frees timers and the default store. */
  close(): Promise<void>;
}
