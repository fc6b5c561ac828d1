import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createPaymoAuth, type PaymoAuth, type PaymoAuthOptions } from '@paymo/auth-core';
import { createPaymoNodeHandler, type FrameworkRequestFacts } from '@paymo/auth-core/node';
import { registerHandler, rememberApp } from './handlerRegistry.js';
import { setPaymoState } from './requestAuth.js';

/** What `paymoAuth()` returns: an Express middleware, with the engine it drives on `.auth` (for `close()`, or to share). */
export type PaymoAuthMiddleware = RequestHandler & { readonly auth: PaymoAuth };

/** What Express knows better than the socket: proxy trust (`req.secure`, `req.ip`) and a parsed body. */
const expressFacts: FrameworkRequestFacts<Request> = {
  secure: (req) => req.secure,
  clientIp: (req) => req.ip,
  parsedBody: (req) => req.body as unknown,
};

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
 * app.use(express.json());
 * app.get('/api/projects', requirePaymoAuth(), async (req, res) => {
 *   res.json(await getPaymoAuth(req).client.request('GET', '/projects'));
 * });
 * ```
 */
export function paymoAuth(options: PaymoAuthOptions | PaymoAuth = {}): PaymoAuthMiddleware {
  const auth = isEngine(options) ? options : createPaymoAuth(options);
  const handler = createPaymoNodeHandler(auth, expressFacts);
  registerHandler(handler);
  let lastApp: object | undefined;

  // Express 4 ignores rejected promises, so every path ends in a response, next() or next(error).
  const middleware = (req: Request, res: Response, next: NextFunction): void => {
    if (req.app !== lastApp) rememberApp((lastApp = req.app), handler);
    // Most requests of a signed-in user: known at once, without a promise.
    const known = handler.authenticatedNow(req);
    if (known !== undefined) {
      setPaymoState(req, known, handler);
      return next();
    }
    handler.handle(req, res).then((state) => {
      if (state === null) return; // answered: an auth route, or a credential that could not be checked
      setPaymoState(req, state, handler);
      next();
    }, next);
  };
  return Object.assign(middleware, { auth });
}

function isEngine(value: PaymoAuthOptions | PaymoAuth): value is PaymoAuth {
  return typeof (value as PaymoAuth).handle === 'function' && typeof (value as PaymoAuth).authenticate === 'function';
}
