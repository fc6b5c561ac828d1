import type { PaymoAuthErrorCode } from '../errors.js';
import { resolveAuth } from './authenticate.js';
import { errorResponse, jsonResponse } from './errorResponse.js';
import type { RouteInput } from './route.js';
import { endReasonOf } from './sessionEndReason.js';

/** Failures that simply mean "nobody is signed in" for `GET /session`. */
const SIGNED_OUT: ReadonlySet<PaymoAuthErrorCode> = new Set<PaymoAuthErrorCode>([
  'MISSING_CREDENTIALS',
  'MALFORMED_CREDENTIALS',
  'INVALID_CREDENTIALS',
  'SESSION_EXPIRED',
  'SESSION_REVOKED',
]);

/**
 * `GET {basePath}/session`: 200 `{session}` (public data only) or 200 `{session:null}` (an ended
 * session's cookie is cleared; `reason` says SESSION_EXPIRED or SESSION_REVOKED when this request saw it end). A failing store
 * or Paymo is an error (503/429), never `null`: the client must not conclude it was signed out.
 */
export async function getSession({ engine, request, context }: RouteInput): Promise<Response> {
  // Asking for the session (the React provider does on focus and before expiry) is not activity.
  const { state } = await resolveAuth(engine, request, context, false);
  if (state.authenticated) return jsonResponse(200, { session: state.session });
  if (SIGNED_OUT.has(state.error.code)) {
    const reason = endReasonOf(state.error);
    const body = reason ? { session: null, reason } : { session: null };
    return jsonResponse(200, body, state.setCookies);
  }
  return errorResponse(state.error, { setCookies: state.setCookies });
}
