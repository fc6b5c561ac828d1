import { fastSha256 } from './fastSha256.js';
import { PaymoAuthError, isPaymoAuthError } from '../errors.js';
import type { Engine } from './engineContext.js';
import { effectiveExpiry, parseLocalSession, sessionStoreKey, type LocalSessionRecord } from './localSession.js';
import { CookieSessionState } from './cookieSessionState.js';
import { hasFutureTimes, revalidateSession } from './revalidate.js';
import { observedEnding } from './sessionEndReason.js';
import { isUpstreamTransient } from './upstreamFailure.js';
import { deleteSessionRecord, updateSessionRecord } from './sessionRecordStore.js';
import type { PaymoAuthState, PaymoAuthenticatedState } from './types.js';

/** A live local session found from its cookie. */
export interface CookieSession {
  key: string;
  record: LocalSessionRecord;
  cookieValue: string;
  /** Served without Paymo's confirmation: its re-check failed (outage, 429s) within the grace. */
  degraded?: true;
}

function ended(): PaymoAuthError {
  return new PaymoAuthError('SESSION_EXPIRED', 'Your session has ended. Sign in again.');
}

/** Finds the record a cookie names (`null` when there is none or it is unreadable). No upstream call. */
export async function findCookieSession(engine: Engine, cookieValue: string): Promise<CookieSession | null> {
  const hash = fastSha256(cookieValue);
  const key = sessionStoreKey(typeof hash === 'string' ? hash : await hash);
  const raw = await engine.storeOp(() => engine.store.get(key));
  if (raw === null) return null;
  const record = recordOf(engine, key, raw);
  if (record === null) {
    await deleteSessionRecord(engine, key);
    return null;
  }
  return { key, record, cookieValue };
}

/** The record a stored string holds: the one parsed before while the bytes are the same, else opened and parsed now (null: unreadable). */
function recordOf(engine: Engine, key: string, raw: string): LocalSessionRecord | null {
  const remembered = engine.parsedRecords.get(key, raw);
  if (remembered !== undefined) return remembered;
  const json = engine.records.open(key, raw);
  const record = json === null ? null : parseLocalSession(json);
  if (record !== null) engine.parsedRecords.set(key, raw, record);
  return record;
}

/**
 * The hot path in one synchronous step, when nothing needs I/O: an in-process store (`peek`), a record
 * parsed before (or parsed now), not expired, no re-check and no "last seen" write due. Undefined
 * whenever anything else could happen: `loadCookieSession` then decides, with the same rules.
 */
export function cookieSessionNow(engine: Engine, cookieValue: string): CookieSession | undefined {
  const { store } = engine;
  if (store.peek === undefined) return undefined;
  const hash = fastSha256(cookieValue);
  if (typeof hash !== 'string') return undefined;
  const key = sessionStoreKey(hash);
  let raw: unknown;
  try {
    raw = store.peek(key);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'string') {
    // A store that answers peek() with a promise is not in-process after all: never leave it unhandled.
    if (typeof (raw as PromiseLike<unknown> | null)?.then === 'function') Promise.resolve(raw).catch(() => undefined);
    return undefined;
  }
  const record = recordOf(engine, key, raw);
  if (record === null) return undefined;
  const now = engine.now();
  const { session } = engine.options;
  const due =
    now >= effectiveExpiry(record, session) ||
    now - record.lastCheckedAt >= session.revalidateAfterMs ||
    now - record.lastSeenAt >= session.touchIntervalMs ||
    hasFutureTimes(record, now);
  return due ? undefined : { key, record, cookieValue };
}

/**
 * The hot path: one sha256, one store read, one JSON.parse and a few comparisons. Expiry is enforced
 * here; every `revalidateAfterMs` the Paymo session is re-checked; every `touchIntervalMs` "last seen"
 * is written (unless `countsAsActivity` is false: a page asking "am I signed in?" is not activity, or
 * an open tab would never reach the idle timeout). Rejects with a typed error (SESSION_EXPIRED / SESSION_REVOKED mean: clear the cookie).
 */
export async function loadCookieSession(engine: Engine, cookieValue: string, countsAsActivity = true): Promise<CookieSession> {
  const found = await findCookieSession(engine, cookieValue);
  if (found === null) throw ended();
  const { key } = found;
  let { record } = found;
  const { session } = engine.options;
  const now = engine.now();

  if (now >= effectiveExpiry(record, session)) {
    await deleteSessionRecord(engine, key);
    throw observedEnding(ended());
  }
  const forged = hasFutureTimes(record, now);
  if (now - record.lastCheckedAt >= session.revalidateAfterMs || forged) {
    try {
      record = await revalidateSession(engine, key, record, cookieValue);
    } catch (error) {
      // Paymo down or rate limiting: a session that was valid is served as degraded within the grace,
      // then fails closed. The revocation bound is revalidateAfterMs + revalidateGraceMs. A record with
      // times from the future was never confirmed: it is not served until Paymo confirms it.
      const transient = isPaymoAuthError(error) && isUpstreamTransient(error);
      if (!transient || forged || now - record.lastCheckedAt >= session.revalidateAfterMs + session.revalidateGraceMs) throw error;
      return { key, record, cookieValue, degraded: true };
    }
  } else if (countsAsActivity && now - record.lastSeenAt >= session.touchIntervalMs) {
    record = { ...record, lastSeenAt: now };
    if (!(await updateSessionRecord(engine, key, record))) throw ended();
  }
  return { key, record, cookieValue };
}

/** The public auth state of a cookie session (see {@link CookieSessionState}). */
export function cookieSessionState(engine: Engine, found: CookieSession): PaymoAuthenticatedState {
  return new CookieSessionState(engine, found);
}
