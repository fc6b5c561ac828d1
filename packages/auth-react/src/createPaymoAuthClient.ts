import { PaymoAuthError, paymoAuthErrorFromResponse } from '@paymo/auth-core';
import type { PaymoAuthErrorCode, PaymoPublicSession, PaymoSessionSummary } from '@paymo/auth-core';

/** What the sign-in form sends: a Paymo email and password, or a Paymo API key. */
export type PaymoSignInCredentials = { email: string; password: string } | { apiKey: string };

/** Why a session ended without the user signing out here. */
export type PaymoSessionEndReason = Extract<PaymoAuthErrorCode, 'SESSION_EXPIRED' | 'SESSION_REVOKED'>;

/**
 * The data of the session query: the body of `GET {basePath}/session`, plus why the session ended
 * when the server (or the expiry timer) said so.
 */
export interface PaymoSessionData {
  session: PaymoPublicSession | null;
  endReason?: PaymoSessionEndReason;
}

/** Options of {@link createPaymoAuthClient}. */
export interface PaymoAuthClientOptions {
  /** Where the server mounted the auth routes. Default `/auth`. */
  basePath?: string;
  /** Origin of the server, when it is not the page's own (e.g. `http://127.0.0.1:3000`). Default: relative URLs. */
  baseUrl?: string;
  /** The `fetch` to use. Default: the global `fetch`, looked up at call time. */
  fetch?: typeof fetch;
  /**
   * Cookie mode of every request. Default `'same-origin'` without `baseUrl`, `'include'` with one (the
   * server must then allow that origin).
   */
  credentials?: RequestCredentials;
}

/** The HTTP contract of the server adapters (DESIGN.md section 5), as plain async functions. */
export interface PaymoAuthClient {
  /** `baseUrl + basePath`: what the query keys are scoped by. */
  readonly scope: string;
  /** `GET {basePath}/session`. Resolves `{ session: null }` when signed out; rejects on 429/5xx/network. */
  getSession(signal?: AbortSignal): Promise<PaymoSessionData>;
  /** `POST {basePath}/sign-in`. The credentials are serialized synchronously and not kept. */
  signIn(credentials: PaymoSignInCredentials): Promise<PaymoPublicSession>;
  /** `POST {basePath}/sign-out`. */
  signOut(): Promise<void>;
  /** `POST {basePath}/sign-out-everywhere`; resolves how many sessions were ended. */
  signOutEverywhere(): Promise<{ revoked: number }>;
  /** `GET {basePath}/sessions`. */
  listSessions(signal?: AbortSignal): Promise<PaymoSessionSummary[]>;
  /**
   * `{method} {basePath}/paymo/<path>`: Paymo's API as the signed-in user, through the server's proxy
   * (only what the server's `proxy.allow` lists). Resolves Paymo's JSON body.
   */
  paymo<T = unknown>(method: PaymoProxyMethod, path: string, init?: PaymoProxyRequestInit): Promise<T>;
}

/** A method the server's Paymo proxy forwards. */
export type PaymoProxyMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Query parameters the proxy forwards (Paymo's filters, relations and paging). */
export interface PaymoQueryParams {
  where?: string;
  include?: string;
  partial_include?: string;
  page?: number;
  page_size?: number;
}

/** Options of {@link PaymoAuthClient.paymo}. */
export interface PaymoProxyRequestInit {
  params?: PaymoQueryParams;
  /** JSON body of a POST or PUT. */
  body?: unknown;
  signal?: AbortSignal;
}

/**
 * A tiny client for the auth routes served by `@paymo/auth-express` / `@paymo/auth-nestjs`. The
 * provider builds one for you; build your own for router loaders or tests. Every failure is a
 * {@link PaymoAuthError} with a typed `code` (`status` 0 when no response arrived).
 *
 * @example
 * ```ts
 * const auth = createPaymoAuthClient({ basePath: '/auth' });
 * const { session } = await auth.getSession();
 * ```
 */
export function createPaymoAuthClient(options: PaymoAuthClientOptions = {}): PaymoAuthClient {
  const basePath = `/${(options.basePath ?? '/auth').replace(/^\/+|\/+$/g, '')}`;
  const baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
  const credentials = options.credentials ?? (baseUrl ? 'include' : 'same-origin');
  const scope = baseUrl + basePath;

  /**
   * One call: the JSON body of a 2xx answer, else the typed error the server sent (decoded by the
   * core). The body is serialized before the first await, so the caller may wipe its object at once.
   */
  async function request(method: PaymoProxyMethod, route: string, body?: unknown, signal?: AbortSignal) {
    const json = body === undefined ? undefined : JSON.stringify(body);
    let response: Response;
    try {
      response = await (options.fetch ?? globalThis.fetch)(`${scope}/${route}`, {
        method,
        headers: json === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
        body: json,
        credentials,
        signal,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new PaymoAuthError('UPSTREAM_UNAVAILABLE', 'The server could not be reached.', { status: 0, cause: error });
    }
    const result: unknown = await response.json().catch(() => null);
    if (response.ok && typeof result === 'object' && result !== null && !Array.isArray(result)) return result as Record<string, unknown>;
    const error = paymoAuthErrorFromResponse(response.status, response.headers, result);
    // `GET /session` answering 401 (a server in front of ours may): signed out, and its code may say why.
    if (route === 'session' && response.status === 401) return { reason: error.code };
    throw error;
  }

  return {
    scope,
    async getSession(signal) {
      const { session, reason } = await request('GET', 'session', undefined, signal);
      // Why a cookie's session is gone, when the server saw it end (`{ session: null, reason }`).
      if (session) return { session: session as PaymoPublicSession };
      return reason === 'SESSION_EXPIRED' || reason === 'SESSION_REVOKED' ? { session: null, endReason: reason } : { session: null };
    },
    async signIn(input) {
      // Only the two documented shapes are sent.
      const { session } = await request('POST', 'sign-in', 'apiKey' in input ? { apiKey: input.apiKey } : { email: input.email, password: input.password });
      return session as PaymoPublicSession;
    },
    async signOut() {
      await request('POST', 'sign-out', {});
    },
    async signOutEverywhere() {
      const { revoked } = await request('POST', 'sign-out-everywhere', {});
      return { revoked: typeof revoked === 'number' ? revoked : 0 };
    },
    async listSessions(signal) {
      const { sessions } = await request('GET', 'sessions', undefined, signal);
      return Array.isArray(sessions) ? (sessions as PaymoSessionSummary[]) : [];
    },
    async paymo<T>(method: PaymoProxyMethod, path: string, init: PaymoProxyRequestInit = {}) {
      // URLSearchParams turns the numbers into strings.
      const search = `${new URLSearchParams(Object.entries(init.params ?? {}).filter(([, value]) => value !== undefined) as [string, string][])}`;
      return (await request(method, `paymo/${path.replace(/^\/+/, '')}${search && `?${search}`}`, init.body, init.signal)) as T;
    },
  };
}
