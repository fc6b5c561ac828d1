import type { AuthOutcome } from './auth.js';
import type { FakeError } from './errors.js';
import type { ResolvedOptions } from './options.js';
import { normalizeApiPath } from './requestLog.js';
import type { FakePaymoState } from './state.js';
import type { PaymoUser } from './types.js';
import type { ResourceEvent } from './webhooks.js';

/** What a custom route's handler receives. */
export interface FakeRouteContext {
  method: string;
  path: string;
  /** Values of the pattern's `:name` segments. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** The authenticated user (custom routes, like built-in ones, are behind auth and the rate limit). */
  user: PaymoUser;
  /** The raw request body (UTF-8). */
  body: string;
  /** Fake-clock time, epoch ms. */
  now: number;
}

/** A custom route's answer. `status` defaults to 200; `body` is sent as JSON (omit it for an empty body). */
export interface FakeRouteResult {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * An extra endpoint for the `routes` option, e.g. a resource your app reads that the fake lacks.
 *
 * @example
 * const fake = await createFakePaymo({
 *   routes: [{ method: 'GET', path: '/api/projects', handler: () => ({ body: { projects: [{ id: 28917, name: 'Paper' }] } }) }],
 * });
 */
export interface FakeRoute {
  method: string;
  /** Pattern like `/api/projects/:id` (a path without `/api` is taken as under it). */
  path: string;
  handler: (context: FakeRouteContext) => FakeRouteResult | Promise<FakeRouteResult>;
}

/** @internal */
export interface RouteContext {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  auth: Extract<AuthOutcome, { ok: true }>;
  state: FakePaymoState;
  options: ResolvedOptions;
  now: number;
  ip: string;
  /** `http://host:port` of the fake. */
  origin: string;
  body: string;
  /** The request's `Content-Type` (JSON or form bodies). */
  contentType: string | undefined;
  /** Tells webhooks about a change. */
  emit: (event: ResourceEvent) => void;
}

/** @internal */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** @internal */
export type HandlerResult = Reply | { error: FakeError };

/** @internal */
export interface Route {
  method: string;
  pattern: string;
  handle: (context: RouteContext) => HandlerResult | Promise<HandlerResult>;
}

function matchPattern(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const expected = want[i] ?? '';
    const actual = got[i] ?? '';
    if (expected.startsWith(':')) {
      if (actual === '') return undefined;
      try {
        params[expected.slice(1)] = decodeURIComponent(actual);
      } catch {
        return undefined;
      }
    } else if (expected !== actual) {
      return undefined;
    }
  }
  return params;
}

/** @internal The route for a request, or the methods the path does allow, or nothing. */
export function findRoute(
  routes: readonly Route[],
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | { allowed: string[] } | undefined {
  const allowed: string[] = [];
  const wanted = method === 'HEAD' ? 'GET' : method;
  for (const route of routes) {
    const params = matchPattern(route.pattern, path);
    if (!params) continue;
    if (route.method === wanted) return { route, params };
    allowed.push(route.method);
  }
  if (allowed.length === 0) return undefined;
  if (allowed.includes('GET')) allowed.push('HEAD');
  return { allowed: [...new Set(allowed)] };
}

/** @internal Wraps a user's {@link FakeRoute} as an internal route. */
export function customRoute(route: FakeRoute): Route {
  return {
    method: route.method.toUpperCase(),
    pattern: normalizeApiPath(route.path),
    async handle(context) {
      const result = await route.handler({
        method: context.method,
        path: context.path,
        params: context.params,
        query: context.query,
        user: context.state.publicUser(context.auth.user),
        body: context.body,
        now: context.now,
      });
      return { status: result.status ?? 200, body: result.body, headers: result.headers };
    },
  };
}
