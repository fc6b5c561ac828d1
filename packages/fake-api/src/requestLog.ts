import type { AuthScheme } from './auth.js';
import type { FakeErrorReason } from './errors.js';

/**
 * One request the fake answered (or dropped), in order of completion. Never holds a credential.
 *
 * @example
 * expect(fake.requests.at(-1)).toMatchObject({ method: 'GET', path: '/api/me', status: 401, reason: 'expired_session' });
 */
export interface RequestLogEntry {
  method: string;
  /** Path without the query string, e.g. `/api/sessions`. */
  path: string;
  /** The query string without `?` (`''` when none). */
  query: string;
  /** Status sent; 0 when the connection was dropped by a fault. */
  status: number;
  /** The credential the request was judged by. */
  auth: AuthScheme;
  /** The authenticated user (also set when a known user was refused, e.g. archived or expired). */
  userId?: number;
  /** Fake-clock time (epoch ms) when the request arrived. */
  at: number;
  /** Why the request was refused, for error answers. */
  reason?: FakeErrorReason;
  /** Set when an injected fault changed the answer. */
  fault?: 'status' | 'drop' | 'latency';
}

/**
 * Selects requests by method (case-insensitive) and path (exact string, or RegExp). Both optional.
 *
 * @example
 * fake.countRequests({ method: 'DELETE', path: /^\/api\/sessions\// });
 */
export interface RequestFilter {
  method?: string | undefined;
  /** Exact path (a path not starting with `/api` is taken as under `/api`), or a RegExp tested on the path. */
  path?: string | RegExp | undefined;
}

/** @internal `/sessions` and `/api/sessions` both mean the API path. */
export function normalizeApiPath(path: string): string {
  if (path === '/api' || path.startsWith('/api/')) return path;
  return `/api${path.startsWith('/') ? '' : '/'}${path}`;
}

/** @internal */
export function matchesRequest(filter: RequestFilter, method: string, path: string): boolean {
  if (filter.method !== undefined && filter.method.toUpperCase() !== method.toUpperCase()) return false;
  if (filter.path === undefined) return true;
  if (typeof filter.path === 'string') return normalizeApiPath(filter.path) === path;
  filter.path.lastIndex = 0;
  return filter.path.test(path);
}
