import { PaymoAuthError, isPaymoAuthError } from '../errors.js';
import type { Engine } from './engineContext.js';
import type { LocalSessionRecord } from './localSession.js';
import { openToken } from './sealedToken.js';
import { deleteSessionRecord, updateSessionRecord } from './sessionRecordStore.js';
import { observedEnding } from './sessionEndReason.js';
import { isSessionGone, isUpstreamTransient, transientFailure } from './upstreamFailure.js';

// Paymo sessions can be ended elsewhere (another app, Paymo's UI, sign-out everywhere). Each local
// session re-checks its Paymo session at most every `revalidateAfterMs`, so a revocation is noticed by
// the first request after that window: the bound is revalidateAfterMs plus one request. Requests in
// between cost no upstream call at all.

/** Paymo's Date header has 1 s resolution: an expiry this close to now counts as passed. */
const SKEW_TOLERANCE_MS = 1_000;

/**
 * Paymo refused a session's token (401, or 404 for its resource): deletes the local record and returns
 * the error to answer, SESSION_EXPIRED if our clock, or Paymo's own clock in that very answer, is past
 * the session's expiry (the clocks can drift apart after sign-in), else SESSION_REVOKED.
 */
export async function endRefusedSession(
  engine: Engine,
  key: string,
  record: LocalSessionRecord,
  refusal: PaymoAuthError,
): Promise<PaymoAuthError> {
  await deleteSessionRecord(engine, key);
  const expired =
    refusal.code === 'SESSION_EXPIRED' ||
    record.upstreamExpiresAt <= engine.now() + SKEW_TOLERANCE_MS ||
    (record.upstreamExpiresOn !== undefined &&
      refusal.upstreamDate !== undefined &&
      record.upstreamExpiresOn <= refusal.upstreamDate + SKEW_TOLERANCE_MS);
  engine.log({
    level: 'info',
    message: expired ? 'Paymo session expired' : 'Paymo session was ended elsewhere; local session deleted',
    code: expired ? 'SESSION_EXPIRED' : 'SESSION_REVOKED',
    userId: record.user.id,
  });
  return observedEnding(
    expired
      ? new PaymoAuthError('SESSION_EXPIRED', 'Your Paymo session has expired. Sign in again.')
      : new PaymoAuthError('SESSION_REVOKED', 'Your Paymo session was ended. Sign in again.'),
  );
}

async function check(engine: Engine, key: string, record: LocalSessionRecord, cookieValue: string): Promise<LocalSessionRecord> {
  let token: string;
  try {
    token = await openToken(cookieValue, record.token);
  } catch {
    await deleteSessionRecord(engine, key);
    throw new PaymoAuthError('SESSION_EXPIRED', 'The session could not be read. Sign in again.');
  }

  try {
    await engine.upstreamClient({ type: 'session', token }).sessions.get(token);
  } catch (error) {
    if (!isPaymoAuthError(error)) throw error;
    if (isSessionGone(error)) throw await endRefusedSession(engine, key, record, error);
    if (isUpstreamTransient(error)) {
      // The session stays: Paymo being busy or down is no reason to sign anyone out.
      const typed = transientFailure(error, 'confirming the session');
      engine.backoff.remember(key, typed, typed.retryAfter ?? 5);
      engine.log({ level: 'warn', message: 'Could not revalidate a session with Paymo', code: typed.code, userId: record.user.id });
      throw typed;
    }
    throw error;
  }

  const now = engine.now();
  const next: LocalSessionRecord = { ...record, lastCheckedAt: now, lastSeenAt: Math.max(record.lastSeenAt, now) };
  if (!(await updateSessionRecord(engine, key, next))) {
    throw new PaymoAuthError('SESSION_EXPIRED', 'Your session has ended. Sign in again.');
  }
  return next;
}

/**
 * Confirms upstream that the Paymo session behind `record` still exists (`GET /sessions/:id` with its
 * own token), single-flight per session within the process. Resolves the updated record, or rejects
 * with SESSION_REVOKED / SESSION_EXPIRED (record deleted), RATE_LIMITED / UPSTREAM_UNAVAILABLE (record
 * kept, Retry-After set, and further requests in that window are answered without calling Paymo).
 */
export function revalidateSession(
  engine: Engine,
  key: string,
  record: LocalSessionRecord,
  cookieValue: string,
): Promise<LocalSessionRecord> {
  const remembered = engine.backoff.current(key);
  if (remembered) return Promise.reject(remembered);
  return engine.revalidations.run(key, () => check(engine, key, record, cookieValue));
}
