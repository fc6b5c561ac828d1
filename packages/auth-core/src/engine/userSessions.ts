import type { PaymoClient } from '../client/types.js';
import type { PaymoSessionResource } from '../user.js';
import { actingCredential, upstreamCallFailure } from './actingCredential.js';
import { resolveAuth, type ResolvedAuth } from './authenticate.js';
import { errorResponse, offersBasicChallenge } from './errorResponse.js';
import type { RouteInput } from './route.js';
import type { PaymoAuthState, PaymoAuthenticatedState } from './types.js';

/** What the session routes work on: the signed-in user, a client acting as them, and their Paymo sessions. */
export interface UserSessions {
  auth: ResolvedAuth;
  state: PaymoAuthenticatedState;
  client: PaymoClient;
  sessions: PaymoSessionResource[];
  /** The id (= token) of the Paymo session this request rides on; null for Basic / API key. */
  currentSessionId: string | null;
}

/**
 * Authenticates the request and lists the user's Paymo sessions (`GET /sessions` as the user), for
 * `GET /sessions` and `POST /sign-out-everywhere`. Resolves the error response to send instead when the
 * request is not authenticated or Paymo cannot list the sessions.
 */
export async function loadUserSessions({ engine, request, context }: RouteInput): Promise<UserSessions | Response> {
  const auth = await resolveAuth(engine, request, context);
  const { state } = auth;
  if (!state.authenticated) {
    return errorResponse(state.error, {
      setCookies: state.setCookies,
      challengeBasic: offersBasicChallenge(request, engine.options.strategies.basic),
    });
  }
  const { credential, currentSessionId } = await actingCredential(auth);
  // Queued in the user's budget: a page shows this list, and a sign-out everywhere's deletes would
  // rather wait for Paymo's next window than stop at its 429.
  const client = engine.upstreamClient(credential, state.user.id, true);
  try {
    return { auth, state, client, sessions: await client.sessions.list(), currentSessionId };
  } catch (error) {
    return upstreamCallFailure(engine, auth, error, 'listing the sessions');
  }
}
