import { authenticateNow, resolveAuth, type ResolvedAuth } from './authenticate.js';
import { createEngine } from './engineContext.js';
import { errorResponse, offersBasicChallenge } from './errorResponse.js';
import { resolveOptions } from './resolveOptions.js';
import { isUnderBasePath, routeRequest } from './router.js';
import { createServiceClient } from '../client/createServiceClient.js';
import type { PaymoAuth, PaymoAuthOptions } from './types.js';
import { unservable } from './unservable.js';

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
 * import { createPaymoNodeHandler } from '@paymo/auth-core/node';
 *
 * const paymo = createPaymoNodeHandler(createPaymoAuth({ baseUrl: 'http://127.0.0.1:4010/api' })); // the fake API; omit for Paymo
 * createServer(async (req, res) => {
 *   const state = await paymo.handle(req, res); // POST /auth/sign-in, GET /auth/session, ...
 *   if (state === null) return; // answered
 *   if (!state.authenticated) return paymo.respond(req, res, state.error);
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
    authenticate: (request, context) => resolveAuth(engine, request, context).then(stateOf),
    authenticateNow: (request, context) => authenticateNow(engine, request, context),
    errorResponse: (error, request) =>
      errorResponse(error, { challengeBasic: offersBasicChallenge(request, engine.options.strategies.basic) }),
    refusal: (state) => (engine.options.failClosed ? unservable(state) : undefined),
    serviceClient: (apiKey) => {
      const { baseUrl, timeoutMs, fetch, now, store } = engine.options;
      return createServiceClient({ apiKey, baseUrl, timeoutMs, now, ...(fetch ? { fetch } : {}), ...(store ? { store } : {}) });
    },
    close() {
      closed ??= engine.ownsStore && engine.store.close ? engine.store.close() : Promise.resolve();
      return closed;
    },
  };
}

function stateOf(resolved: ResolvedAuth): ResolvedAuth['state'] {
  return resolved.state;
}
