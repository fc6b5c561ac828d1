import { PaymoAuthError, isPaymoAuthError } from '../errors.js';
import type { PaymoAuthRequestLike } from './types.js';

/** Seconds to wait when an error says nothing about it (Paymo sent no Retry-After). */
export const DEFAULT_RETRY_AFTER_SECONDS = 5;

/** Extra headers of one error response. */
export interface ErrorResponseOptions {
  /** Set-Cookie values to send with it (e.g. clearing a dead session cookie). */
  setCookies?: readonly string[];
  /** For 405: the methods the route accepts. */
  allow?: string;
  /** On 401, also offer `Basic realm="Paymo"` (only to non-browser clients, see {@link offersBasicChallenge}). */
  challengeBasic?: boolean;
}

/**
 * Anything thrown inside the engine as a `PaymoAuthError`. An unknown error is a bug: it becomes a
 * 500 UPSTREAM_ERROR with a fixed message, so nothing it carries reaches the client.
 */
export function toPaymoAuthError(error: unknown): PaymoAuthError {
  if (isPaymoAuthError(error)) return error;
  return new PaymoAuthError('UPSTREAM_ERROR', 'The authentication service failed unexpectedly.', {
    status: 500,
    cause: error,
  });
}

/** A JSON response that no cache keeps: every auth response is private and short-lived. */
export function jsonResponse(
  status: number,
  body: unknown,
  setCookies: readonly string[] = [],
  extraHeaders: Record<string, string> = {},
): Response {
  const headers = new Headers({
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...extraHeaders,
  });
  for (const cookie of setCookies) headers.append('set-cookie', cookie);
  return new Response(JSON.stringify(body), { status, headers });
}

/**
 * Whether a 401 may offer the Basic scheme: only when Basic is enabled and the client is not a
 * browser page (it sent `Authorization` itself, or no `Sec-Fetch-Site`, which every current browser
 * sends). A Basic challenge answered to `fetch()` makes browsers open their native login dialog.
 */
export function offersBasicChallenge(request: PaymoAuthRequestLike | undefined, basicEnabled: boolean): boolean {
  if (!basicEnabled || request === undefined) return false;
  return request.headers.get('authorization') !== null || request.headers.get('sec-fetch-site') === null;
}

/**
 * The one error response shape: `{error:{code,message}}`, status from the code, `no-store`,
 * `Retry-After` on every 429/503 (the error's own, else a default), `WWW-Authenticate` on 401 and `Allow` on 405.
 */
export function errorResponse(error: unknown, options: ErrorResponseOptions = {}): Response {
  const failure = toPaymoAuthError(error);
  const headers: Record<string, string> = {};
  // A 429/503 always says when to retry, also for an error that arrived without one (e.g. a Paymo 5xx
  // without Retry-After, raised by the state's client inside an app route).
  const retryAfter = failure.retryAfter ?? (failure.status === 429 || failure.status === 503 ? DEFAULT_RETRY_AFTER_SECONDS : undefined);
  if (retryAfter !== undefined && Number.isFinite(retryAfter)) {
    headers['retry-after'] = String(Math.max(1, Math.ceil(retryAfter)));
  }
  if (failure.status === 401) {
    headers['www-authenticate'] = options.challengeBasic
      ? 'Session realm="Paymo", Basic realm="Paymo", charset="UTF-8"'
      : 'Session realm="Paymo"';
  }
  if (failure.status === 405 && options.allow) headers.allow = options.allow;
  return jsonResponse(failure.status, failure.toJSON(), options.setCookies, headers);
}
