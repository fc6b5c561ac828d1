import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createPaymoAuth, type PaymoAuth, type PaymoAuthOptions, type PaymoRequestContext } from '@paymo/auth-core';
import { appendSetCookies, handleNodeRequest, nodeRequestLike } from '@paymo/auth-core/node';
import { attachEngine } from './requestAuth.js';

/** The middleware, with the engine it drives (for `close()` on shutdown, or to share with other code). */
export interface PaymoAuthMiddleware extends RequestHandler {
  readonly auth: PaymoAuth;
}

/**
 * Serves the auth routes (`POST {basePath}/sign-in`, `GET {basePath}/session`, ...) and sets `req.paymo`
 * on every other request. Register it before your routes and after anything that should stay
 * anonymous and cheap (e.g. `express.static`): it authenticates every request that reaches it.
 *
 * `basePath` is matched against the full request path (`req.originalUrl`): mount it at the app's root.
 *
 * @param options - engine options (all optional; `baseUrl` defaults to `PAYMO_API_URL` or the real Paymo),
 *   or an engine made with `createPaymoAuth()`, e.g. one shared with other adapters. The auth routes'
 *   body is read by paymoAuth() itself, capped at `maxBodyBytes`, whatever parsers the app registered.
 * @example
 * ```ts
 * import express from 'express';
 * import { paymoAuth, requirePaymoAuth, getPaymoAuth } from '@paymo/auth-express';
 *
 * const app = express();
 * app.use(paymoAuth());
 * app.get('/api/projects', requirePaymoAuth(), async (req, res) => {
 *   res.json(await getPaymoAuth(req).client.request('GET', '/projects'));
 * });
 * ```
 */
export function paymoAuth(options: PaymoAuthOptions | PaymoAuth = {}): PaymoAuthMiddleware {
  const auth = isEngine(options) ? options : createPaymoAuth(options);

  const middleware = (req: Request, res: Response, next: NextFunction): void => {
    attachEngine(req, auth);
    // req.ip walks X-Forwarded-For through the proxy-trust function: computed only when the engine
    // asks (sign-in and pass-through limits), not for every cookie or anonymous request.
    const context: PaymoRequestContext = {
      secure: req.secure,
      get clientIp() {
        return req.ip;
      },
    };
    const url = req.originalUrl || req.url;
    const query = url.indexOf('?');
    const pathname = query === -1 ? url : url.slice(0, query);
    if (auth.ownsPath(pathname)) {
      serveAuthRoute(auth, req, res, next, context);
      return;
    }
    attachState(auth, req, res, next, context);
  };
  return Object.assign(middleware, { auth });
}

// Express 4 ignores rejected promises, so every path below ends in a response or next(error).
function serveAuthRoute(auth: PaymoAuth, req: Request, res: Response, next: NextFunction, context: PaymoRequestContext): void {
  handleNodeRequest(auth, req, res, { context, parsedBody: req.body })
    .then((answered) => (answered ? undefined : attachState(auth, req, res, next, context)))
    .catch(next);
}

function attachState(auth: PaymoAuth, req: Request, res: Response, next: NextFunction, context: PaymoRequestContext): void {
  auth.authenticate(nodeRequestLike(req), context).then((state) => {
    req.paymo = state;
    if (!state.authenticated) appendSetCookies(res, state.setCookies);
    next();
  }, next);
}

function isEngine(value: PaymoAuthOptions | PaymoAuth): value is PaymoAuth {
  return typeof (value as PaymoAuth).handle === 'function' && typeof (value as PaymoAuth).authenticate === 'function';
}
