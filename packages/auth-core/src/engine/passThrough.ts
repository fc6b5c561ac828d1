import type { PaymoCredential } from '../credentials.js';
import { PaymoAuthError, isPaymoAuthError } from '../errors.js';
import type { PaymoAuthStrategy } from '../publicSession.js';
import type { Engine } from './engineContext.js';
import { publicUser, userIndex } from './localSession.js';
import { checkPassThroughBlock, recordPassThroughFailure } from './passThroughFailureLimit.js';
import { parseVerdict, verdictKey, type PassThroughVerdict } from './passThroughVerdict.js';
import type { PaymoAuthState } from './types.js';
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
  await checkPassThroughBlock(engine, credential, clientIp);

  let verdict: PassThroughVerdict;
  try {
    const user = await engine.upstreamClient(credential).me();
    verdict =
      user.active === false
        ? { v: 1, ok: false, checkedAt: engine.now() }
        : { v: 1, ok: true, user: publicUser(user), checkedAt: engine.now() };
  } catch (error) {
    const failure = isPaymoAuthError(error) ? error : null;
    if (failure && isUpstreamTransient(failure)) {
      const typed = transientFailure(failure, 'checking the credentials');
      engine.backoff.remember(key, typed, typed.retryAfter ?? 5);
      throw typed;
    }
    if (!failure || !isUpstreamRejection(failure)) throw error;
    verdict = { v: 1, ok: false, checkedAt: engine.now() };
  }

  if (verdict.ok) {
    await engine.storeOp(() =>
      engine.store.set(key, JSON.stringify(verdict), engine.options.passThroughCacheMs, { index: userIndex(verdict.user.id) }),
    );
  } else {
    engine.log({ level: 'warn', message: 'Pass-through credentials rejected by Paymo', code: 'INVALID_CREDENTIALS' });
    await engine.storeOp(() => engine.store.set(key, JSON.stringify(verdict), engine.options.passThroughFailureCacheMs));
    await recordPassThroughFailure(engine, credential, clientIp);
  }
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
): Promise<Extract<PaymoAuthState, { authenticated: true }>> {
  const key = await verdictKey(engine, credential);
  const cached = parseVerdict(await engine.storeOp(() => engine.store.get(key)));
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
      return (client ??= engine.userClient(credential));
    },
  };
}
