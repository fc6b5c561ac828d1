import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { PaymoAuthError } from '@paymo/auth-core';
import type { PaymoNodeHandler } from '@paymo/auth-core/node';
import { handlerOf, notRegistered, type PaymoAuthenticatedState } from './requestAuth.js';

/** Options of {@link requirePaymoAuth}. */
export interface RequirePaymoAuthOptions {
  /** Only these Paymo user types pass (e.g. `'Admin'`); others get 403 FORBIDDEN. */
  userType?: string | readonly string[];
  /** Extra check on the signed-in request; false gives 403 FORBIDDEN (a throw goes to your error handler). */
  predicate?: (auth: PaymoAuthenticatedState, req: Request) => boolean | Promise<boolean>;
  /**
   * Where to send a signed-out browser (a request that accepts HTML more than JSON), with 303.
   * Without it, and for API clients always, the answer is 401 JSON with `WWW-Authenticate`.
   */
  redirectTo?: string | ((req: Request) => string);
}

/**
 * Lets only authenticated requests through. Otherwise answers the engine's typed error: 401
 * (`MISSING_CREDENTIALS`, `SESSION_EXPIRED`, ...; JSON, `WWW-Authenticate`), 429/503 with `Retry-After`
 * when Paymo or the store is unavailable, and 403 `FORBIDDEN` when `userType` or `predicate` refuses.
 *
 * @example
 * ```ts
 * app.get('/api/admin/report', requirePaymoAuth({ userType: 'Admin' }), (req, res) => {
 *   res.json({ for: getPaymoAuth(req).user.name });
 * });
 * app.get('/dashboard', requirePaymoAuth({ redirectTo: '/sign-in' }), renderDashboard);
 * ```
 */
export function requirePaymoAuth(options: RequirePaymoAuthOptions = {}): RequestHandler {
  const userTypes = options.userType === undefined ? undefined : ([] as string[]).concat(options.userType);

  return (req: Request, res: Response, next: NextFunction): void => {
    const handler = handlerOf(req);
    const state = req.paymo;
    if (!handler || !state) return next(notRegistered('requirePaymoAuth()'));
    if (!state.authenticated) {
      const target = options.redirectTo && wantsHtml(req) ? options.redirectTo : undefined;
      if (target) return res.redirect(303, typeof target === 'function' ? target(req) : target);
      return send(handler, req, res, state.error, next);
    }
    const refusal = handler.userTypeRefusal(state.user, userTypes);
    if (refusal) return send(handler, req, res, refusal, next);
    if (!options.predicate) return next();
    Promise.resolve()
      .then(() => options.predicate!(state, req))
      .then((allowed) => (allowed ? next() : send(handler, req, res, forbidden('This route refused the signed-in user'), next)))
      .catch(next);
  };
}

function wantsHtml(req: Request): boolean {
  return req.accepts(['json', 'html']) === 'html';
}

function forbidden(message: string): PaymoAuthError {
  return new PaymoAuthError('FORBIDDEN', message);
}

function send(handler: PaymoNodeHandler<Request>, req: Request, res: Response, error: unknown, next: NextFunction): void {
  handler.respond(req, res, error).catch(next);
}
