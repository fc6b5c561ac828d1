import type { PaymoSessionResource } from '../user.js';
import { actingCredential, upstreamCallFailure } from './actingCredential.js';
import { resolveAuth } from './authenticate.js';
import { clearSessionCookie } from './cookies.js';
import { errorResponse, jsonResponse, offersBasicChallenge } from './errorResponse.js';
import { userIndex } from './localSession.js';
import type { RouteInput } from './route.js';

/**
 * `POST {basePath}/sign-out-everywhere`: ends every Paymo session of the user (listed upstream; the
 * one this request rides on last, so its token works until the end), deletes every local session and
 * cached verdict of the user (`deleteIndex('user:<id>')`), clears the cookie. 200 `{ok:true, revoked:n}`,
 * n = Paymo sessions ended. If the list cannot be read, nothing is changed and the error is answered.
 */
export async function signOutEverywhere({ engine, request, context }: RouteInput): Promise<Response> {
  const auth = await resolveAuth(engine, request, context);
  const { state } = auth;
  if (!state.authenticated) {
    return errorResponse(state.error, {
      setCookies: state.setCookies,
      challengeBasic: offersBasicChallenge(request, engine.options.strategies.basic),
    });
  }
  const { credential, currentSessionId } = await actingCredential(auth);
  const client = engine.upstreamClient(credential);
  let sessions: PaymoSessionResource[];
  try {
    sessions = await client.sessions.list();
  } catch (error) {
    return upstreamCallFailure(engine, auth, error, 'listing the sessions');
  }

  const ordered = [
    ...sessions.filter((session) => session.id !== currentSessionId),
    ...sessions.filter((session) => session.id === currentSessionId),
  ];
  let revoked = 0;
  for (const session of ordered) {
    try {
      await client.sessions.delete(session.id);
      revoked += 1;
    } catch (error) {
      const code = (error as { code?: string }).code;
      engine.log({ level: 'warn', message: 'Could not end a Paymo session', userId: state.user.id, ...(code ? { code } : {}) });
    }
  }
  const local = await engine.storeOp(() => engine.store.deleteIndex(userIndex(state.user.id)));
  engine.log({ level: 'info', message: `Signed out everywhere (${revoked} Paymo, ${local} local)`, userId: state.user.id });
  return jsonResponse(200, { ok: true, revoked }, [clearSessionCookie(auth.cookie)]);
}
