import { PaymoAuthError } from '../errors.js';
import { DEFAULT_RETRY_AFTER_SECONDS, toPaymoAuthError } from './errorResponse.js';

/** Paymo refused the credential or token itself (401): the session or credential is dead. */
export function isUpstreamRejection(error: PaymoAuthError): boolean {
  return error.code === 'INVALID_CREDENTIALS' || error.code === 'SESSION_EXPIRED' || error.code === 'SESSION_REVOKED';
}

/**
 * Paymo says the session behind a token no longer exists: the token is refused (401), or the session
 * resource is not found (404) when the token is checked with `GET /sessions/:id`.
 */
export function isSessionGone(error: PaymoAuthError): boolean {
  return isUpstreamRejection(error) || error.upstreamStatus === 404;
}

/** Paymo is rate limiting (429) or failing (5xx, network, timeout): retry later, nothing is ended. */
export function isUpstreamTransient(error: PaymoAuthError): boolean {
  return error.code === 'RATE_LIMITED' || error.code === 'UPSTREAM_UNAVAILABLE';
}

export { DEFAULT_RETRY_AFTER_SECONDS };

/**
 * A transient upstream failure as the error our client sees: RATE_LIMITED (429) or
 * UPSTREAM_UNAVAILABLE (503), always with a Retry-After, and with our own message (Paymo's text is not
 * forwarded to browsers).
 */
export function transientFailure(error: PaymoAuthError, action: string): PaymoAuthError {
  const retryAfter = error.retryAfter ?? DEFAULT_RETRY_AFTER_SECONDS;
  const message =
    error.code === 'RATE_LIMITED'
      ? `Paymo is rate limiting requests; ${action} failed. Retry after ${retryAfter} s.`
      : `Paymo is unavailable; ${action} failed. Retry after ${retryAfter} s.`;
  return new PaymoAuthError(error.code, message, { retryAfter, cause: error });
}

/** Any upstream error as the error to answer: transient ones normalised, others passed on as typed. */
export function upstreamFailure(error: unknown, action: string): PaymoAuthError {
  const failure = toPaymoAuthError(error);
  return isUpstreamTransient(failure) ? transientFailure(failure, action) : failure;
}
