import type { PaymoAuthError } from '../errors.js';
import type { PaymoAuthState } from './types.js';

/**
 * The error of a request whose credential was sent but could not be checked (429 RATE_LIMITED, 503
 * STORE_UNAVAILABLE / UPSTREAM_UNAVAILABLE, 502 UPSTREAM_ERROR, ...): it may well be a signed-in
 * user's, so it must not be served as anonymous (fail closed). Undefined when signed in, when nothing
 * was sent (MISSING_CREDENTIALS) and when the credential is wrong or over (a 4xx: it is anonymous).
 */
export function unservable(state: PaymoAuthState): PaymoAuthError | undefined {
  if (state.authenticated) return undefined;
  const { status } = state.error;
  return status === 429 || status >= 500 ? state.error : undefined;
}
