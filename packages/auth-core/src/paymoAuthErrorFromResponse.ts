import { PaymoAuthError, httpStatusByCode } from './errors.js';
import type { PaymoAuthErrorCode } from './errors.js';
import { parseRetryAfter } from './parseRetryAfter.js';

/**
 * The typed error of a failed answer from the auth routes, or from an app route behind
 * `@paymo/auth-express` / `@paymo/auth-nestjs`: the code and message of the `{ error: { code, message } }`
 * body they send, with `status`, and `retryAfter` read from `Retry-After` (seconds or an HTTP date). An
 * answer that is not ours (a proxy's HTML page, a code this version does not know) gets its code from
 * the status. The one decoder of that shape: `@paymo/auth-react` uses it, and so can your own `fetch`.
 * Browser-safe.
 *
 * @example
 * ```ts
 * const response = await fetch('/api/projects');
 * if (!response.ok) {
 *   throw paymoAuthErrorFromResponse(response.status, response.headers, await response.json().catch(() => null));
 * }
 * ```
 */
export function paymoAuthErrorFromResponse(status: number, headers: Pick<Headers, 'get'>, body: unknown): PaymoAuthError {
  const sent = (body as { error?: { code?: unknown; message?: unknown } | null } | null | undefined)?.error;
  const code = sent?.code;
  const message = sent?.message;
  return new PaymoAuthError(
    // `typeof ... === 'number'`, not `in`: 'toString' is in every object.
    typeof code === 'string' && typeof httpStatusByCode[code as PaymoAuthErrorCode] === 'number'
      ? (code as PaymoAuthErrorCode)
      : codeForStatus(status),
    typeof message === 'string' ? message : `The server answered ${status}.`,
    { status, retryAfter: parseRetryAfter(headers, Date.now()) },
  );
}

function codeForStatus(status: number): PaymoAuthErrorCode {
  if (status === 401) return 'MISSING_CREDENTIALS';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 429) return 'RATE_LIMITED';
  // A gateway's 502/504 means our server could not be reached, like a 503.
  if (status === 502 || status === 503 || status === 504) return 'UPSTREAM_UNAVAILABLE';
  return status >= 500 ? 'UPSTREAM_ERROR' : 'BAD_REQUEST';
}
