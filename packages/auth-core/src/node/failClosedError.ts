import type { PaymoAuthError } from '../errors.js';
import type { PaymoAuthState } from '../engine/types.js';

/**
 * The error to answer instead of serving a request as anonymous: set when a credential was sent but
 * could not be checked (429 RATE_LIMITED, 503 STORE_UNAVAILABLE / UPSTREAM_UNAVAILABLE, 502
 * UPSTREAM_ERROR, ...). Such a request may well belong to a signed-in user, so a route open to
 * everyone must not treat it as signed out (fail closed). Undefined when signed in, when nothing was
 * sent (MISSING_CREDENTIALS) and when the credential is wrong or over (a 4xx: the request is anonymous).
 *
 * @example
 * ```ts
 * const state = await auth.authenticate(nodeRequestLike(req), context);
 * const failure = failClosedError(state);
 * if (failure) return sendWebResponse(res, auth.errorResponse(failure, nodeRequestLike(req)));
 * ```
 */
export function failClosedError(state: PaymoAuthState): PaymoAuthError | undefined {
  if (state.authenticated) return undefined;
  const { status } = state.error;
  return status === 429 || status >= 500 ? state.error : undefined;
}
