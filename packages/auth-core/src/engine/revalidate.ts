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

/** How far a fleet's clocks may disagree before a record's times count as forged. */
const FLEET_CLOCK_TOLERANCE_MS = 60_000;

/**
 * True when a record carries times later than now (beyond the fleet's clock tolerance): only a
 * record written by hand can, and it is then re-checked with Paymo at once instead of trusted.
 */
export function hasFutureTimes(record: LocalSessionRecord, now: number): boolean {
  const limit = now + FLEET_CLOCK_TOLERANCE_MS;
  return record.lastCheckedAt > limit || record.lastSeenAt > limit || record.createdAt > limit;
}

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
  } catch (error) {
    await deleteSessionRecord(engine, key);
    throw error;
  }

  let upstream: { user_id: number };
  try {
    upstream = await engine.upstreamClient({ type: 'session', token }, record.user.id).sessions.get(token);
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

  if (typeof upstream.user_id === 'number' && upstream.user_id !== record.user.id) {
    // The record names another user than the token's owner: it was written by someone else.
    await deleteSessionRecord(engine, key);
    engine.log({ level: 'warn', message: "A session record named another user than its Paymo session's; deleted", code: 'SESSION_REVOKED' });
    throw new PaymoAuthError('SESSION_REVOKED', 'Your Paymo session was ended. Sign in again.');
  }

  const now = engine.now();
  const forged = hasFutureTimes(record, now);
  // Times from the future were not written by any engine's clock: clamp them (and write over the
  // record's version guard, which a future version would otherwise hold forever).
  const next: LocalSessionRecord = {
    ...record,
    createdAt: Math.min(record.createdAt, now),
    lastCheckedAt: now,
    lastSeenAt: forged ? now : Math.max(record.lastSeenAt, now),
  };
  if (!(await updateSessionRecord(engine, key, next, { overrideVersion: forged }))) {
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
