import { PaymoAuthError } from '@paymo/auth-core';
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
}

const endReasons: readonly string[] = ['SESSION_EXPIRED', 'SESSION_REVOKED'];

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

  async function call(method: 'GET' | 'POST', route: string, body?: string, signal?: AbortSignal) {
    const doFetch = options.fetch ?? globalThis.fetch;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await doFetch(`${scope}/${route}`, { method, headers, body, credentials, signal });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new PaymoAuthError('UPSTREAM_UNAVAILABLE', 'The server could not be reached.', { status: 0, cause: error });
    }
  }

  async function json(response: Response): Promise<Record<string, unknown>> {
    const body: unknown = await response.json().catch(() => null);
    if (response.ok && isRecord(body)) return body;
    throw toError(response, body);
  }

  return {
    scope,
    async getSession(signal) {
      const response = await call('GET', 'session', undefined, signal);
      if (response.status === 401) {
        const error = toError(response, await response.json().catch(() => null));
        return endReasons.includes(error.code)
          ? { session: null, endReason: error.code as PaymoSessionEndReason }
          : { session: null };
      }
      const body = await json(response);
      const session = (body['session'] as PaymoPublicSession | null | undefined) ?? null;
      // A server may say why a cookie's session is gone (`{ session: null, reason }`); use it if so.
      const reason = body['reason'];
      return !session && typeof reason === 'string' && endReasons.includes(reason)
        ? { session, endReason: reason as PaymoSessionEndReason }
        : { session };
    },
    async signIn(input) {
      // Only the two documented shapes are sent; the string is built before the first await.
      const body = JSON.stringify('apiKey' in input ? { apiKey: input.apiKey } : { email: input.email, password: input.password });
      const result = await json(await call('POST', 'sign-in', body));
      return result['session'] as PaymoPublicSession;
    },
    async signOut() {
      await json(await call('POST', 'sign-out', '{}'));
    },
    async signOutEverywhere() {
      const result = await json(await call('POST', 'sign-out-everywhere', '{}'));
      return { revoked: typeof result['revoked'] === 'number' ? result['revoked'] : 0 };
    },
    async listSessions(signal) {
      const result = await json(await call('GET', 'sessions', undefined, signal));
      return Array.isArray(result['sessions']) ? (result['sessions'] as PaymoSessionSummary[]) : [];
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Turns a non-2xx answer into a typed error: the server's `{error:{code,message}}` when present. */
function toError(response: Response, body: unknown): PaymoAuthError {
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
  const sent = isRecord(body) && isRecord(body['error']) ? body['error'] : undefined;
  const code = typeof sent?.['code'] === 'string' ? (sent['code'] as PaymoAuthErrorCode) : codeForStatus(response.status);
  const message = typeof sent?.['message'] === 'string' ? sent['message'] : `The server answered ${response.status}.`;
  return new PaymoAuthError(code, message, { status: response.status, retryAfter });
}

function codeForStatus(status: number): PaymoAuthErrorCode {
  if (status === 401) return 'MISSING_CREDENTIALS';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 502 || status === 503 || status === 504) return 'UPSTREAM_UNAVAILABLE';
  if (status >= 500) return 'UPSTREAM_ERROR';
  return 'BAD_REQUEST';
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
