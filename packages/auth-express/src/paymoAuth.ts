import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import { createPaymoAuth, type PaymoAuth, type PaymoAuthOptions, type PaymoRequestContext } from '@paymo/auth-core';
import {
  appendSetCookies, failClosedError, handleBodyParserError, handleNodeRequest, nodeRequestContext, nodeRequestLike,
  ownsNodeRequest, sendWebResponse,
} from '@paymo/auth-core/node';
import { attachEngine } from './requestAuth.js';

/** Options of the Express layer itself (the engine's go in the first argument). */
export interface PaymoAuthMiddlewareOptions {
  /**
   * A request that sent a credential which could not be checked (store down, Paymo unavailable or rate
   * limiting: 429/502/503) is answered with that typed error by default, on every route: serving it as
   * anonymous would fail open. `'anonymous'` lets it through with `req.paymo.authenticated === false`.
   */
  onUnavailable?: 'respond' | 'anonymous';
}

/**
 * What `paymoAuth()` returns: the middleware and, right after it, an error layer that answers a body
 * parser's error on an auth route (`express.json()` registered first) with the typed JSON. Pass it to
 * `app.use()` as is; the engine it drives is on `.auth` (for `close()` on shutdown, or to share).
 */
export type PaymoAuthMiddleware = [RequestHandler, ErrorRequestHandler] & { readonly auth: PaymoAuth };

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
 * app.use(express.json());
 * app.use(paymoAuth());
 * app.get('/api/projects', requirePaymoAuth(), async (req, res) => {
 *   res.json(await getPaymoAuth(req).client.request('GET', '/projects'));
 * });
 * ```
 */
export function paymoAuth(options: PaymoAuthOptions | PaymoAuth = {}, layer: PaymoAuthMiddlewareOptions = {}): PaymoAuthMiddleware {
  const auth = isEngine(options) ? options : createPaymoAuth(options);
  const failClosed = layer.onUnavailable !== 'anonymous';

  const middleware = (req: Request, res: Response, next: NextFunction): void => {
    attachEngine(req, auth);
    const context = contextOf(req);
    if (ownsNodeRequest(auth, req)) {
      // Express 4 ignores rejected promises, so every path below ends in a response or next(error).
      handleNodeRequest(auth, req, res, { context, parsedBody: req.body })
        .then((answered) => (answered ? undefined : attachState(req, res, next, context)))
        .catch(next);
      return;
    }
    attachState(req, res, next, context);
  };

  const attachState = (req: Request, res: Response, next: NextFunction, context: PaymoRequestContext): void => {
    auth.authenticate(nodeRequestLike(req), context).then((state) => {
      req.paymo = state;
      if (state.authenticated) return next();
      appendSetCookies(res, state.setCookies);
      const failure = failClosed ? failClosedError(state) : undefined;
      if (!failure) return next();
      sendWebResponse(res, auth.errorResponse(failure, nodeRequestLike(req))).catch(next);
    }, next);
  };

  // Four parameters: Express calls it with errors only, e.g. express.json()'s on malformed JSON.
  const bodyParserErrors = (error: unknown, req: Request, res: Response, next: NextFunction): void => {
    handleBodyParserError(auth, error, req, res, contextOf(req)).then((answered) => answered || next(error), next);
  };

  return Object.assign([middleware, bodyParserErrors] as [RequestHandler, ErrorRequestHandler], { auth });
}

// Express's proxy-aware answers; req.ip walks X-Forwarded-For, so only when the engine asks.
function contextOf(req: Request): PaymoRequestContext {
  return nodeRequestContext(req, { secure: req.secure, clientIp: () => req.ip });
}

function isEngine(value: PaymoAuthOptions | PaymoAuth): value is PaymoAuth {
  return typeof (value as PaymoAuth).handle === 'function' && typeof (value as PaymoAuth).authenticate === 'function';
}
