/**
 * Why the fake refused a request. Shown to `errorResponse` and in the request log, so tests can tell
 * an expired token from an ended one even though both answer 401 (real Paymo's texts are unknown).
 */
export type FakeErrorReason =
  | 'missing_credentials'
  | 'malformed_credentials'
  | 'unsupported_scheme'
  | 'invalid_credentials'
  | 'unknown_session'
  | 'expired_session'
  | 'ended_session'
  | 'archived_user'
  | 'session_cannot_create_session'
  | 'rate_limited'
  | 'not_found'
  | 'method_not_allowed'
  | 'not_acceptable'
  | 'payload_too_large'
  | 'bad_request'
  | 'forbidden'
  | 'conflict'
  | 'fault';

/** An error answer before it is written: status, reason and the `message` of the `{"message"}` body. */
export interface FakeError {
  status: number;
  reason: FakeErrorReason;
  message: string;
}

/**
 * What an `errorResponse` hook may change about an error answer; omitted fields keep the default.
 *
 * @example
 * await createFakePaymo({ errorResponse: (error) => (error.reason === 'rate_limited' ? { body: { error: 'slow down' } } : undefined) });
 */
export interface FakeErrorOverride {
  status?: number;
  /** Replaces the JSON body (default `{"message": error.message}`). `undefined` keeps the default. */
  body?: unknown;
  /** Extra response headers, e.g. `{ 'WWW-Authenticate': 'Basic realm="Paymo"' }`. */
  headers?: Record<string, string>;
}

/** @internal */
export function fakeError(status: number, reason: FakeErrorReason, message: string): { error: FakeError } {
  return { error: { status, reason, message } };
}
