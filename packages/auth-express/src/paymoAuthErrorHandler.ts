import type { ErrorRequestHandler, NextFunction, Request, Response } from 'express';
import { isPaymoAuthError } from '@paymo/auth-core';
import { answerParserErrorAnywhere } from './handlerRegistry.js';
import { handlerOf } from './requestAuth.js';

/**
 * An Express error handler that answers, with the same typed JSON as the auth routes (status,
 * `{error:{code,message}}`, `Retry-After`, `WWW-Authenticate`):
 * - a `PaymoAuthError` thrown by your routes (a Paymo call through `getPaymoAuth(req).client` that hit
 *   429, 5xx, an ended session, ...);
 * - a body parser's error on an auth route (malformed or oversized JSON when `express.json()` runs
 *   before `paymoAuth()`), whose raw body (a password) must never reach Express's default handler.
 * Other errors go on to the next error handler. Register it after your routes.
 *
 * @example
 * ```ts
 * app.get('/api/clients', requirePaymoAuth(), async (req, res) => {
 *   res.json(await getPaymoAuth(req).client.request('GET', '/clients')); // Express 5 forwards rejections
 * });
 * app.use(paymoAuthErrorHandler());
 * ```
 */
export function paymoAuthErrorHandler(): ErrorRequestHandler {
  return (error: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(error);
    const handler = handlerOf(req);
    if (handler && isPaymoAuthError(error)) {
      handler.respond(req, res, error).catch(next);
      return;
    }
    // No paymoAuth() ran: a parser before it failed. The one whose basePath owns the path answers.
    answerParserErrorAnywhere(error, req, res).then((answered) => answered || next(error), next);
  };
}
