import type { PaymoCredential } from '../credentials.js';
import { PaymoAuthError, isPaymoAuthError } from '../errors.js';
import type { ResolvedAuth } from './authenticate.js';
import { clearSessionCookie } from './cookies.js';
import type { Engine } from './engineContext.js';
import { errorResponse } from './errorResponse.js';
import { openToken } from './sealedToken.js';
import { endRefusedSession } from './revalidate.js';
import { isUpstreamRejection, upstreamFailure } from './upstreamFailure.js';

/** The credential an authenticated request acts with upstream, and the Paymo session id it is on (if any). */
export interface ActingCredential {
  credential: PaymoCredential;
  /** The id (= token) of the Paymo session this request rides on; null for Basic / API key. */
  currentSessionId: string | null;
}

/** For the session routes: the credential behind a resolved, authenticated request. */
export async function actingCredential(auth: ResolvedAuth): Promise<ActingCredential> {
  if (auth.cookieSession) {
    const token = await openToken(auth.cookieSession.cookieValue, auth.cookieSession.record.token);
    return { credential: { type: 'session', token }, currentSessionId: token };
  }
  if (auth.credential) {
    const credential = auth.credential;
    return { credential, currentSessionId: credential.type === 'session' ? credential.token : null };
  }
  throw new PaymoAuthError('MISSING_CREDENTIALS', 'Sign in, or send Paymo credentials.');
}

/**
 * The response for a failed upstream call made on the user's behalf. If Paymo refused the cookie
 * session's token, the local session is deleted and its cookie cleared (SESSION_REVOKED).
 */
export async function upstreamCallFailure(engine: Engine, auth: ResolvedAuth, error: unknown, action: string): Promise<Response> {
  if (isPaymoAuthError(error) && isUpstreamRejection(error)) {
    if (auth.cookieSession) {
      // Expired or ended early, told apart by the clocks exactly as a re-check does.
      const ending = await endRefusedSession(engine, auth.cookieSession.key, auth.cookieSession.record, error);
      return errorResponse(ending, { setCookies: [clearSessionCookie(auth.cookie)] });
    }
    return errorResponse(new PaymoAuthError('INVALID_CREDENTIALS', 'Paymo did not accept these credentials.'));
  }
  return errorResponse(upstreamFailure(error, action));
}
