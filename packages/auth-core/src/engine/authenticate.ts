import type { PaymoCredential } from '../credentials.js';
import { PaymoAuthError } from '../errors.js';
import { parseRequestCredential } from '../parseRequestCredential.js';
import { clearSessionCookie, readSessionCookie, sessionCookieName, type SessionCookieAttributes } from './cookies.js';
import { cookieSessionState, loadCookieSession, type CookieSession } from './cookieSession.js';
import type { Engine } from './engineContext.js';
import { toPaymoAuthError } from './errorResponse.js';
import { authenticatePassThrough } from './passThrough.js';
import type { PaymoAuthRequestLike, PaymoAuthState, PaymoRequestContext } from './types.js';

/** What the engine knows after authenticating a request (more than the public state, for the routes). */
export interface ResolvedAuth {
  state: PaymoAuthState;
  /** Cookie attributes for this request (HTTPS or not). */
  cookie: SessionCookieAttributes;
  /** Set for cookie sessions. */
  cookieSession?: CookieSession;
  /** Set for pass-through credentials. */
  credential?: PaymoCredential;
}

/** HTTPS as the adapter saw it (honouring its proxy trust), else the request URL's scheme. */
export function isSecureRequest(request: PaymoAuthRequestLike, context: PaymoRequestContext | undefined): boolean {
  return context?.secure ?? request.url.startsWith('https:');
}

/** Cookie attributes for a request. */
export function cookieAttributes(engine: Engine, secure: boolean): SessionCookieAttributes {
  return { name: engine.options.cookie.name, sameSite: engine.options.cookie.sameSite, secure };
}

function failed(cookie: SessionCookieAttributes, error: PaymoAuthError, clearCookie: boolean): ResolvedAuth {
  return { cookie, state: { authenticated: false, error, setCookies: clearCookie ? [clearSessionCookie(cookie)] : [] } };
}

/**
 * Authenticates a request. The first credential present decides, in this order: the session cookie,
 * `X-Session`, `Authorization: Basic` (each skipped when disabled in `strategies`); a later one is not
 * tried when an earlier one fails. Nothing sent: MISSING_CREDENTIALS without any I/O. Never rejects.
 */
export async function resolveAuth(
  engine: Engine,
  request: PaymoAuthRequestLike,
  context: PaymoRequestContext | undefined,
  countsAsActivity = true,
): Promise<ResolvedAuth> {
  const cookie = cookieAttributes(engine, isSecureRequest(request, context));
  const { strategies } = engine.options;
  try {
    if (strategies.cookie) {
      const lookup = readSessionCookie(request.headers.get('cookie'), sessionCookieName(cookie.name, cookie.secure));
      if (lookup.kind === 'malformed') {
        return failed(cookie, new PaymoAuthError('MALFORMED_CREDENTIALS', 'The session cookie is malformed.'), true);
      }
      if (lookup.kind === 'present') {
        try {
          const cookieSession = await loadCookieSession(engine, lookup.value, countsAsActivity);
          return { cookie, cookieSession, state: cookieSessionState(engine, cookieSession) };
        } catch (error) {
          const failure = toPaymoAuthError(error);
          return failed(cookie, failure, failure.code === 'SESSION_EXPIRED' || failure.code === 'SESSION_REVOKED');
        }
      }
    }
    if (strategies.sessionHeader || strategies.basic) {
      const { credential } = parseRequestCredential(request.headers, {
        basic: strategies.basic,
        sessionHeader: strategies.sessionHeader,
      });
      if (credential !== null) {
        return { cookie, credential, state: await authenticatePassThrough(engine, credential, context?.clientIp) };
      }
    }
    return failed(cookie, new PaymoAuthError('MISSING_CREDENTIALS', 'Sign in, or send Paymo credentials.'), false);
  } catch (error) {
    const failure = toPaymoAuthError(error);
    if (failure !== error) engine.log({ level: 'error', message: 'Unexpected error while authenticating', code: failure.code });
    return failed(cookie, failure, false);
  }
}
