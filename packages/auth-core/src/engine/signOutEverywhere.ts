import type { PaymoAuthError } from '../errors.js';
import { clearSessionCookie } from './cookies.js';
import { errorResponse, jsonResponse, toPaymoAuthError } from './errorResponse.js';
import { userIndex } from './localSession.js';
import type { RouteInput } from './route.js';
import { isUpstreamTransient, transientFailure } from './upstreamFailure.js';
import { loadUserSessions } from './userSessions.js';

/**
 * `POST {basePath}/sign-out-everywhere`: ends every Paymo session of the user (listed upstream; the
 * one this request rides on last, so its token works until the end), deletes every local session and
 * cached verdict of the user (`deleteIndex('user:<id>')`), clears the cookie. 200 `{ok:true, revoked:n}`,
 * n = Paymo sessions ended. If the list cannot be read, nothing is changed and the error is answered.
 * If Paymo rate-limits or fails midway, the local sessions still end and the answer is 429/503 with
 * Retry-After and `{error, revoked, remaining}`: the user must not believe every token is dead.
 */
export async function signOutEverywhere(input: RouteInput): Promise<Response> {
  const loaded = await loadUserSessions(input);
  if (loaded instanceof Response) return loaded;
  const { engine } = input;
  const { auth, state, client, sessions, currentSessionId } = loaded;

  const ordered = [
    ...sessions.filter((session) => session.id !== currentSessionId),
    ...sessions.filter((session) => session.id === currentSessionId),
  ];
  let revoked = 0;
  let stoppedBy: PaymoAuthError | undefined;
  for (const session of ordered) {
    try {
      await client.sessions.delete(session.id);
      revoked += 1;
    } catch (error) {
      const failure = toPaymoAuthError(error);
      engine.log({ level: 'warn', message: 'Could not end a Paymo session', userId: state.user.id, code: failure.code });
      // Paymo answers 429 to every request until its window ends, and a 5xx rarely heals mid-loop:
      // stop, and say so, rather than report success with sessions (and their tokens) still alive.
      if (isUpstreamTransient(failure)) {
        stoppedBy = transientFailure(failure, 'ending every Paymo session');
        break;
      }
    }
  }
  // Local sessions end whatever Paymo said: that much is in our hands.
  const local = await engine.storeOp(() => engine.store.deleteIndex(userIndex(state.user.id)));
  engine.log({ level: 'info', message: `Signed out everywhere (${revoked} Paymo, ${local} local)`, userId: state.user.id });
  const cleared = [clearSessionCookie(auth.cookie)];
  if (stoppedBy) {
    const remaining = ordered.length - revoked;
    const failed = errorResponse(stoppedBy, { setCookies: cleared });
    return jsonResponse(failed.status, { ...stoppedBy.toJSON(), revoked, remaining }, cleared, {
      'retry-after': failed.headers.get('retry-after') ?? '5',
    });
  }
  return jsonResponse(200, { ok: true, revoked }, cleared);
}
