import { fastSha256 } from './fastSha256.js';
import { PaymoAuthError, isPaymoAuthError } from '../errors.js';
import type { Engine } from './engineContext.js';
import { lazyClient } from './lazyClient.js';
import { effectiveExpiry, parseLocalSession, sessionStoreKey, toPublicSession, type LocalSessionRecord } from './localSession.js';
import { endRefusedSession, revalidateSession } from './revalidate.js';
import { observedEnding } from './sessionEndReason.js';
import { openToken } from './sealedToken.js';
import { deleteSessionRecord, updateSessionRecord } from './sessionRecordStore.js';
import type { PaymoPublicSession } from '../publicSession.js';
import type { PaymoAuthState } from './types.js';

/** A live local session found from its cookie. */
export interface CookieSession {
  key: string;
  record: LocalSessionRecord;
  cookieValue: string;
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
  const record = parseLocalSession(raw);
  if (record === null) {
    await deleteSessionRecord(engine, key);
    return null;
  }
  return { key, record, cookieValue };
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
  if (now - record.lastCheckedAt >= session.revalidateAfterMs) {
    record = await revalidateSession(engine, key, record, cookieValue);
  } else if (countsAsActivity && now - record.lastSeenAt >= session.touchIntervalMs) {
    record = { ...record, lastSeenAt: now };
    if (!(await updateSessionRecord(engine, key, record))) throw ended();
  }
  return { key, record, cookieValue };
}

/** The public auth state of a cookie session; its client decrypts the token on first use only. */
export function cookieSessionState(engine: Engine, found: CookieSession): Extract<PaymoAuthState, { authenticated: true }> {
  const { key, record, cookieValue } = found;
  let client: ReturnType<typeof lazyClient> | undefined;
  let session: PaymoPublicSession | undefined;
  return {
    authenticated: true,
    user: record.user,
    strategy: 'cookie',
    // Built on first read: formatting two dates is a visible share of the hot path, and many requests
    // only look at the user.
    get session() {
      return (session ??= toPublicSession(record, engine.options.session));
    },
    get client() {
      return (client ??= lazyClient(
        async () => engine.userClient({ type: 'session', token: await openToken(cookieValue, record.token) }),
        // Paymo refusing the token in an app's own call means the session is over, as in revalidation.
        async (error) =>
          isPaymoAuthError(error) && error.upstreamStatus === 401 ? endRefusedSession(engine, key, record, error) : error,
      ));
    },
  };
}
