import { PaymoAuthError } from '../errors.js';
import type { PaymoAuthErrorCode } from '../errors.js';

const MAX_MESSAGE_LENGTH = 200;

/**
 * The human text of a Paymo error body, safe to put in an error message: `{"message"}` when the body
 * has one, else the raw text; control characters flattened, every known secret redacted, truncated.
 */
export function upstreamMessage(body: string, secrets: readonly string[]): string {
  let text = body;
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && typeof (parsed as { message?: unknown }).message === 'string') {
      text = (parsed as { message: string }).message;
    }
  } catch {
    // Not JSON: keep the raw text.
  }
  // Redact before truncating, so a secret cut in half by the truncation cannot survive.
  for (const secret of secrets) {
    if (secret) text = text.split(secret).join('[redacted]');
  }
  text = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH)}…` : text;
}

/** What the client knows about a failed response. */
export interface UpstreamFailure {
  status: number;
  body: string;
  retryAfter: number | undefined;
  /** Every secret the request carried (password, API key, token, encoded headers). */
  secrets: readonly string[];
  /** The code for a 401 (INVALID_CREDENTIALS, or SESSION_EXPIRED/REVOKED when the client knows). */
  unauthorizedCode: PaymoAuthErrorCode;
  /** Paymo's clock when it answered (ms, from `Date`), if it sent one. */
  date?: number;
}

/**
 * Maps a non-2xx Paymo response to the library's error: 401 -> `unauthorizedCode`, 429 -> RATE_LIMITED,
 * 5xx -> UPSTREAM_UNAVAILABLE (both with `retryAfter` when sent), any other status -> UPSTREAM_ERROR.
 */
export function upstreamError(failure: UpstreamFailure): PaymoAuthError {
  const { status, retryAfter } = failure;
  const detail = upstreamMessage(failure.body, failure.secrets);
  const suffix = detail ? `: ${detail}` : '.';
  const upstreamStatus = status;
  const upstreamDate = failure.date;
  if (status === 401) {
    return new PaymoAuthError(failure.unauthorizedCode, `Paymo rejected the credentials (401)${suffix}`, { upstreamStatus, upstreamDate });
  }
  if (status === 429) {
    const wait = retryAfter === undefined ? '' : ` Retry after ${retryAfter} s.`;
    return new PaymoAuthError('RATE_LIMITED', `Paymo is rate limiting these requests (429).${wait}`, { retryAfter, upstreamStatus, upstreamDate });
  }
  if (status >= 500) {
    return new PaymoAuthError('UPSTREAM_UNAVAILABLE', `Paymo answered ${status}${suffix}`, { retryAfter, upstreamStatus, upstreamDate });
  }
  return new PaymoAuthError('UPSTREAM_ERROR', `Paymo answered ${status}${suffix}`, { upstreamStatus, upstreamDate });
}
