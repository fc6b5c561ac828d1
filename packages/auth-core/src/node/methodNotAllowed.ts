import { PaymoAuthError } from '../errors.js';
import type { PaymoAuth, PaymoAuthRequestLike } from '../engine/types.js';
import { routes } from '../engine/router.js';

/** The only methods the auth routes serve (PUT and DELETE for the Paymo proxy only; the router says 405 elsewhere). */
const servedMethods: ReadonlySet<string> = new Set(['GET', 'POST', 'PUT', 'DELETE']);

/** True for a method no auth route serves (including TRACE/CONNECT, which `new Request()` refuses). */
export function isUnservedMethod(method: string): boolean {
  return !servedMethods.has(method.toUpperCase());
}

/**
 * The typed 405 for a method no auth route serves, answered before any `Request` is built: `new
 * Request()` throws on TRACE, CONNECT and TRACK, which would otherwise end as a 500. `Allow` names the
 * route's method when the path is a known route.
 */
export function methodNotAllowedResponse(auth: PaymoAuth, pathname: string, request: PaymoAuthRequestLike): Response {
  const route = pathname.startsWith(auth.basePath) ? routes[pathname.slice(auth.basePath.length)] : undefined;
  const allow = route && Object.hasOwn(routes, pathname.slice(auth.basePath.length)) ? route.method : 'GET, POST';
  const response = auth.errorResponse(
    new PaymoAuthError('METHOD_NOT_ALLOWED', `The auth routes answer ${allow === 'GET, POST' ? 'GET and POST' : allow} only.`),
    request,
  );
  response.headers.set('allow', allow);
  return response;
}
