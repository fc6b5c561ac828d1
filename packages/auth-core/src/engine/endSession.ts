import type { Engine } from './engineContext.js';
import type { CookieSession } from './cookieSession.js';
import { openToken } from './sealedToken.js';
import { deleteSessionRecord } from './sessionRecordStore.js';

/**
 * Ends the Paymo session with `DELETE /sessions/:id`, best effort: a failure is logged, never thrown
 * (the local session is what the user controls; Paymo's ends on its own at `expires_on`).
 */
export async function endUpstreamSession(engine: Engine, token: string, userId: number): Promise<boolean> {
  try {
    await engine.upstreamClient({ type: 'session', token }).sessions.delete(token);
    return true;
  } catch (error) {
    const code = (error as { code?: string }).code;
    engine.log({ level: 'warn', message: 'Could not end the Paymo session upstream', userId, ...(code ? { code } : {}) });
    return false;
  }
}

/** Deletes the local record (store failure: STORE_UNAVAILABLE), then ends the Paymo session (best effort). */
export async function endCookieSession(engine: Engine, session: CookieSession): Promise<void> {
  await deleteSessionRecord(engine, session.key);
  let token: string;
  try {
    token = await openToken(session.cookieValue, session.record.token);
  } catch {
    return;
  }
  await endUpstreamSession(engine, token, session.record.user.id);
}
