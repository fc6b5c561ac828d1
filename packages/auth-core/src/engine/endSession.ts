import { isPaymoAuthError } from '../errors.js';
import type { Engine } from './engineContext.js';
import type { CookieSession } from './cookieSession.js';
import { openToken } from './sealedToken.js';
import { deleteSessionRecord } from './sessionRecordStore.js';

/** How often a DELETE that met Paymo's quota (429) is tried again later, in the background. */
const QUOTA_RETRIES = 3;

/** The longest wait before such a retry, whatever `Retry-After` said. */
const MAX_RETRY_WAIT_MS = 5 * 60_000;

/**
 * Ends the Paymo session with `DELETE /sessions/:id`, best effort: a failure is logged, never thrown
 * (the local session is what the user controls; Paymo's ends on its own at `expires_on`). A 429 means
 * Paymo did nothing: the DELETE is sent again after its `Retry-After`, in the background, a few times.
 */
export async function endUpstreamSession(engine: Engine, token: string, userId: number, retriesLeft = QUOTA_RETRIES): Promise<boolean> {
  try {
    await engine.upstreamClient({ type: 'session', token }, userId).sessions.delete(token);
    return true;
  } catch (error) {
    const code = (error as { code?: string }).code;
    const later = isPaymoAuthError(error) && error.code === 'RATE_LIMITED' && retriesLeft > 0;
    engine.log({
      level: 'warn',
      message: later ? 'Paymo rate limited ending a session; trying again after Retry-After' : 'Could not end the Paymo session upstream',
      userId,
      ...(code ? { code } : {}),
    });
    if (later) {
      const retryAfterMs = Math.min(MAX_RETRY_WAIT_MS, Math.max(1, error.retryAfter ?? 1) * 1000);
      const timer = setTimeout(() => void endUpstreamSession(engine, token, userId, retriesLeft - 1), retryAfterMs);
      (timer as { unref?: () => void }).unref?.();
    }
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
