import type { PaymoCredential } from '../credentials.js';
import { PaymoAuthError, isPaymoAuthError } from '../errors.js';
import type { PaymoAuthStrategy } from '../publicSession.js';
import type { Engine } from './engineContext.js';
import { publicUser, userIndex } from './localSession.js';
import { outcomeOfFailure, reserveAttempt } from './attemptLimit.js';
import { parseVerdict, verdictKey, type PassThroughVerdict } from './passThroughVerdict.js';
import type { PaymoAuthState, PaymoAuthenticatedState } from './types.js';
import type { PaymoUser } from '../user.js';
import { capUserEntries } from './userEntryCap.js';
import { isUpstreamRejection, isUpstreamTransient, transientFailure } from './upstreamFailure.js';

/** The strategy name of a pass-through credential. */
export function passThroughStrategy(credential: PaymoCredential): PaymoAuthStrategy {
  if (credential.type === 'session') return 'session-header';
  return credential.type === 'apiKey' ? 'api-key' : 'basic';
}

function rejected(): PaymoAuthError {
  return new PaymoAuthError('INVALID_CREDENTIALS', 'Paymo did not accept these credentials.');
}

async function validateUpstream(
  engine: Engine,
  credential: PaymoCredential,
  key: string,
  clientIp: string | undefined,
): Promise<PassThroughVerdict> {
  const remembered = engine.backoff.current(key);
  if (remembered) throw remembered;
  // Reserved before the call: hundreds of parallel guesses reach Paymo no more often than the limit.
  const attempt = await reserveAttempt(engine, credential, clientIp);

  let user: PaymoUser;
  try {
    user = await engine.upstreamClient(credential).me();
  } catch (error) {
    const failure = isPaymoAuthError(error) ? error : null;
    await attempt.settle(outcomeOfFailure(error), failure?.retryAfter);
    if (failure && isUpstreamTransient(failure)) {
      const typed = transientFailure(failure, 'checking the credentials');
      engine.backoff.remember(key, typed, typed.retryAfter ?? 5);
      throw typed;
    }
    if (!failure || !isUpstreamRejection(failure)) throw error;
    return refuse(engine, key);
  }
  if (user.active === false) {
    await attempt.settle('refused');
    return refuse(engine, key);
  }

  await attempt.settle('succeeded');
  await engine.chargeQuota(user.id, 1); // the GET /me above, in the user's window
  const verdict: PassThroughVerdict = { v: 1, ok: true, user: publicUser(user), checkedAt: engine.now() };
  await engine.storeOp(() =>
    engine.store.set(key, engine.records.seal(key, JSON.stringify(verdict)), engine.options.passThroughCacheMs, { index: userIndex(verdict.user.id) }),
  );
  await capUserEntries(engine, verdict.user.id, 'verdict:', engine.options.passThroughMaxPerUser, key);
  return verdict;
}

/**
 * A refused credential's verdict is remembered in this process only (bounded): a flood of distinct bad
 * credentials must never take store space from sessions.
 */
function refuse(engine: Engine, key: string): PassThroughVerdict {
  engine.log({ level: 'warn', message: 'Pass-through credentials rejected by Paymo', code: 'INVALID_CREDENTIALS' });
  const verdict: PassThroughVerdict = { v: 1, ok: false, checkedAt: engine.now() };
  engine.rejectedCredentials.remember(key, engine.options.passThroughFailureCacheMs);
  return verdict;
}

/**
 * Authenticates an `X-Session` or `Authorization: Basic` credential: a cached verdict when there is
 * one (no upstream call), else one `GET /me` shared by concurrent requests, whose verdict is cached
 * (`passThroughCacheMs`; failures `passThroughFailureCacheMs`). The state's client acts with the
 * caller's own credential and is built only when used.
 */
export async function authenticatePassThrough(
  engine: Engine,
  credential: PaymoCredential,
  clientIp: string | undefined,
): Promise<PaymoAuthenticatedState> {
  const key = await verdictKey(engine, credential);
  if (engine.rejectedCredentials.has(key)) throw rejected();
  const stored = await engine.storeOp(() => engine.store.get(key));
  const cached = parseVerdict(stored === null ? null : engine.records.open(key, stored));
  const verdict = cached ?? (await engine.verdicts.run(key, () => validateUpstream(engine, credential, key, clientIp)));
  if (!verdict.ok) throw rejected();

  const strategy = passThroughStrategy(credential);
  const { user, checkedAt } = verdict;
  let client: ReturnType<Engine['userClient']> | undefined;
  return {
    authenticated: true,
    user,
    strategy,
    // A pass-through "session" is the cached verdict: it is checked upstream again when it expires.
    session: {
      user,
      strategy,
      createdAt: new Date(checkedAt).toISOString(),
      expiresAt: new Date(checkedAt + engine.options.passThroughCacheMs).toISOString(),
    },
    get client() {
      return (client ??= engine.userClient(credential, user.id));
    },
  };
}
