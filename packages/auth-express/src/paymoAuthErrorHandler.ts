import type { ErrorRequestHandler, NextFunction, Request, Response } from 'express';
import { isPaymoAuthError } from '@paymo/auth-core';
import { nodeRequestLike, sendWebResponse } from '@paymo/auth-core/node';
import { engineOf } from './requestAuth.js';

/**
 * An Express error handler that answers a `PaymoAuthError` thrown by your routes (a Paymo call through
 * `getPaymoAuth(req).client` that hit 429, 5xx, an ended session, ...) with the same typed JSON as the
 * auth routes: status, `{error:{code,message}}`, `Retry-After`, `WWW-Authenticate`. Other errors go on
 * to the next error handler. Register it after your routes.
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
    const auth = engineOf(req);
    if (!auth || !isPaymoAuthError(error) || res.headersSent) return next(error);
    sendWebResponse(res, auth.errorResponse(error, nodeRequestLike(req))).catch(next);
  };
}
