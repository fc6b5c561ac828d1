import type { PaymoCredential } from '../credentials.js';
import { PaymoAuthError } from '../errors.js';
import { parseRequestCredential } from '../parseRequestCredential.js';
import { clearSessionCookie, readSessionCookie, sessionCookieName, type SessionCookieAttributes } from './cookies.js';
import { cookieSessionNow, cookieSessionState, loadCookieSession, type CookieSession } from './cookieSession.js';
import type { Engine } from './engineContext.js';
import { toPaymoAuthError } from './errorResponse.js';
import { authenticatePassThrough } from './passThrough.js';
import type { PaymoAuthRequestLike, PaymoAuthState, PaymoAuthenticatedState, PaymoRequestContext } from './types.js';

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

/** The session cookie of a request, under its name for this scheme (`__Host-` over HTTPS). */
function sessionCookieOf(request: PaymoAuthRequestLike, cookie: SessionCookieAttributes): ReturnType<typeof readSessionCookie> {
  return readSessionCookie(request.headers.get('cookie'), sessionCookieName(cookie.name, cookie.secure));
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
      const lookup = sessionCookieOf(request, cookie);
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

/**
 * The state of a request signed in with a cookie session, when it is known without I/O (see
 * `cookieSessionNow`); undefined otherwise, and for every other credential: call `resolveAuth`.
 */
export function authenticateNow(
  engine: Engine,
  request: PaymoAuthRequestLike,
  context: PaymoRequestContext | undefined,
): PaymoAuthenticatedState | undefined {
  if (!engine.options.strategies.cookie) return undefined;
  try {
    const lookup = sessionCookieOf(request, cookieAttributes(engine, isSecureRequest(request, context)));
    if (lookup.kind !== 'present') return undefined;
    const found = cookieSessionNow(engine, lookup.value);
    return found === undefined ? undefined : cookieSessionState(engine, found);
  } catch {
    // Anything unexpected (a clock that throws, ...) is for resolveAuth to answer as a typed error.
    return undefined;
  }
}
