import { PaymoAuthError } from '../errors.js';
import { checkCsrf } from './csrf.js';
import type { Engine } from './engineContext.js';
import { errorResponse, toPaymoAuthError } from './errorResponse.js';
import type { Route } from './route.js';
import { getSession } from './session.js';
import { listSessions } from './sessions.js';
import { proxyRequest } from './proxy.js';
import { signIn } from './signIn.js';
import { signOut } from './signOut.js';
import { signOutEverywhere } from './signOutEverywhere.js';
import type { PaymoRequestContext } from './types.js';

/** The HTTP contract, relative to `basePath`. */
export const routes: Readonly<Record<string, Route>> = {
  '/sign-in': { method: 'POST', handler: signIn },
  '/session': { method: 'GET', handler: getSession },
  '/sign-out': { method: 'POST', handler: signOut },
  '/sessions': { method: 'GET', handler: listSessions },
  '/sign-out-everywhere': { method: 'POST', handler: signOutEverywhere },
};

/** Below `basePath`, the Paymo proxy (`{basePath}/paymo/<path>`). */
export const PROXY_PREFIX = '/paymo/';

/** True when `pathname` is `basePath` or below it. */
export function isUnderBasePath(basePath: string, pathname: string): boolean {
  return pathname === basePath || (pathname.startsWith(basePath) && pathname.charCodeAt(basePath.length) === 47 /* / */);
}

/**
 * Answers one request under `basePath`: 404 for an unknown path, 405 (+ Allow) for a wrong method,
 * CSRF and content-type checks for POST, then the route. `null` when the path is not ours.
 * Never rejects: every failure is a JSON error response.
 */
export async function routeRequest(engine: Engine, request: Request, context: PaymoRequestContext | undefined): Promise<Response | null> {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return errorResponse(new PaymoAuthError('BAD_REQUEST', 'The request URL is invalid.'));
  }
  const { basePath } = engine.options;
  if (!isUnderBasePath(basePath, url.pathname)) return null;
  const relative = url.pathname.slice(basePath.length);
  if (relative.startsWith(PROXY_PREFIX)) return proxyRequest(engine, request, url, relative.slice(PROXY_PREFIX.length), context);
  try {
    const route = Object.hasOwn(routes, url.pathname.slice(basePath.length)) ? routes[url.pathname.slice(basePath.length)] : undefined;
    if (route === undefined) throw new PaymoAuthError('NOT_FOUND', `No auth route at ${basePath}${url.pathname.slice(basePath.length).slice(0, 100)}.`);
    if (request.method !== route.method) {
      return errorResponse(new PaymoAuthError('METHOD_NOT_ALLOWED', `Use ${route.method} for this route.`), { allow: route.method });
    }
    if (route.method === 'POST') checkCsrf(request.headers, url.origin, engine.options.trustedOrigins);
    return await route.handler({ engine, request, context });
  } catch (error) {
    const failure = toPaymoAuthError(error);
    if (failure !== error) engine.log({ level: 'error', message: 'Unexpected error in an auth route', code: failure.code });
    return errorResponse(failure);
  }
}
