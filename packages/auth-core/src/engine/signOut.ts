import { cookieAttributes, isSecureRequest } from './authenticate.js';
import { clearSessionCookie, readSessionCookie, sessionCookieName } from './cookies.js';
import { findCookieSession } from './cookieSession.js';
import { endCookieSession } from './endSession.js';
import { errorResponse, jsonResponse } from './errorResponse.js';
import type { RouteInput } from './route.js';

/**
 * `POST {basePath}/sign-out`: deletes the local session, ends the Paymo session (a failing upstream
 * delete is logged; the local session is over either way), clears the cookie. 200 `{ok:true}`, also
 * when already signed out. No upstream re-check first: signing out must work while Paymo is down.
 */
export async function signOut({ engine, request, context }: RouteInput): Promise<Response> {
  const cookie = cookieAttributes(engine, isSecureRequest(request, context));
  const lookup = readSessionCookie(request.headers.get('cookie'), sessionCookieName(cookie.name, cookie.secure));
  const cleared = [clearSessionCookie(cookie)];
  if (lookup.kind === 'present') {
    try {
      const session = await findCookieSession(engine, lookup.value);
      if (session !== null) {
        await endCookieSession(engine, session);
        engine.log({ level: 'info', message: 'Signed out', userId: session.record.user.id });
      }
    } catch (error) {
      // The session could not be ended (store down): say so, but the browser forgets its cookie anyway,
      // so a shared computer is not left signed in.
      return errorResponse(error, { setCookies: cleared });
    }
  }
  return jsonResponse(200, { ok: true }, cleared);
}
