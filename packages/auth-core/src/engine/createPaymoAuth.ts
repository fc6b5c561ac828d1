import { resolveAuth } from './authenticate.js';
import { createEngine } from './engineContext.js';
import { errorResponse, offersBasicChallenge } from './errorResponse.js';
import { resolveOptions } from './resolveOptions.js';
import { isUnderBasePath, routeRequest } from './router.js';
import type { PaymoAuth, PaymoAuthOptions } from './types.js';

/**
 * Creates the auth engine: the routes of the HTTP contract (`handle`) and the per-request auth state
 * (`authenticate`). Framework adapters wrap these two; nothing else decides anything.
 *
 * Options are checked now: a mistake throws a `PaymoAuthError` CONFIG_ERROR naming the option.
 * Without a `store`, sessions live in a bounded in-memory store (one process); `close()` frees it.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createPaymoAuth } from '@paymo/auth-core';
 * import { handleNodeRequest, nodeRequestLike, sendWebResponse } from '@paymo/auth-core/node';
 *
 * const auth = createPaymoAuth({ baseUrl: 'http://127.0.0.1:4010/api' }); // the fake API; omit for Paymo
 * createServer(async (req, res) => {
 *   if (await handleNodeRequest(auth, req, res)) return; // POST /auth/sign-in, GET /auth/session, ...
 *   const state = await auth.authenticate(nodeRequestLike(req));
 *   if (!state.authenticated) return sendWebResponse(res, auth.errorResponse(state.error, nodeRequestLike(req)));
 *   res.end(`Hello ${state.user.name}`);
 * }).listen(3000);
 * ```
 */
export function createPaymoAuth(options: PaymoAuthOptions = {}): PaymoAuth {
  const engine = createEngine(resolveOptions(options));
  const { basePath, maxBodyBytes } = engine.options;
  let closed: Promise<void> | undefined;

  return {
    basePath,
    maxBodyBytes,
    ownsPath: (pathname) => isUnderBasePath(basePath, pathname),
    handle: (request, context) => routeRequest(engine, request, context),
    authenticate: async (request, context) => (await resolveAuth(engine, request, context)).state,
    errorResponse: (error, request) =>
      errorResponse(error, { challengeBasic: offersBasicChallenge(request, engine.options.strategies.basic) }),
    close() {
      closed ??= engine.ownsStore && engine.store.close ? engine.store.close() : Promise.resolve();
      return closed;
    },
  };
}
