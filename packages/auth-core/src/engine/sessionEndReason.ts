import type { PaymoAuthError } from '../errors.js';

// `GET /session` tells the browser why its session ended (so it can say "expired" or "ended elsewhere"
// in words), but only when this request saw it end. A cookie that names no record any more could have
// been signed out, expired or revoked earlier; guessing would be wrong as often as right.
const observed = new WeakSet<PaymoAuthError>();

/** Marks `error` (SESSION_EXPIRED / SESSION_REVOKED) as an ending this request observed. */
export function observedEnding(error: PaymoAuthError): PaymoAuthError {
  observed.add(error);
  return error;
}

/** The reason to tell the browser, if this request saw the session end. */
export function endReasonOf(error: PaymoAuthError): 'SESSION_EXPIRED' | 'SESSION_REVOKED' | undefined {
  if (!observed.has(error)) return undefined;
  return error.code === 'SESSION_EXPIRED' || error.code === 'SESSION_REVOKED' ? error.code : undefined;
}
