import type { Request } from 'express';
import { notRegistered, type PaymoAuthenticatedState } from './requestAuth.js';

/**
 * The signed-in request's auth state (user, public session, strategy, and a Paymo client acting as the
 * user), for handlers behind `requirePaymoAuth()` and code called from them.
 *
 * Throws when `paymoAuth()` did not run for this request (a setup mistake, `CONFIG_ERROR`), and throws
 * the request's typed `PaymoAuthError` (401 `MISSING_CREDENTIALS`, `SESSION_EXPIRED`, ...) when it is
 * not authenticated. For routes open to everyone, read `req.paymo` and check `authenticated` instead.
 *
 * @example
 * ```ts
 * app.get('/api/clients', requirePaymoAuth(), async (req, res) => {
 *   const { client } = getPaymoAuth(req);
 *   res.json(await client.request('GET', '/clients'));
 * });
 * ```
 */
export function getPaymoAuth(req: Request): PaymoAuthenticatedState {
  const state = req.paymo as Request['paymo'] | undefined;
  if (!state) throw notRegistered('getPaymoAuth() is called');
  if (!state.authenticated) throw state.error;
  return state;
}
