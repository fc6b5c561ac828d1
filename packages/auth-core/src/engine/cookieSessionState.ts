import { isPaymoAuthError } from '../errors.js';
import type { PaymoClient } from '../client/types.js';
import type { PaymoPublicSession } from '../publicSession.js';
import type { CookieSession } from './cookieSession.js';
import type { Engine } from './engineContext.js';
import { lazyClient } from './lazyClient.js';
import { toPublicSession } from './localSession.js';
import { endRefusedSession } from './revalidate.js';
import { openToken } from './sealedToken.js';
import { deleteSessionRecord } from './sessionRecordStore.js';
import type { PaymoAuthenticatedState } from './types.js';

/**
 * The public auth state of a cookie session. A class, not an object literal with getters: every
 * signed-in request makes one, and an instance whose getters live on the prototype is the cheapest
 * to create. `session` (two dates to format) and `client` (the token decrypted on its first call) are
 * built on first read; many requests only look at the user. JSON shows what a browser may see.
 */
export class CookieSessionState implements PaymoAuthenticatedState {
  readonly authenticated = true as const;
  readonly strategy = 'cookie' as const;
  readonly user: PaymoAuthenticatedState['user'];
  // True private fields: a logged or spread state never shows the cookie value or the sealed token.
  readonly #engine: Engine;
  readonly #found: CookieSession;
  #session: PaymoPublicSession | undefined;
  #client: PaymoClient | undefined;

  constructor(engine: Engine, found: CookieSession) {
    this.#engine = engine;
    this.#found = found;
    // A copy: the record is shared by every request that reads it (ParsedRecordCache), and a route
    // that adds to req.paymo.user must change neither the others' user nor what is written back.
    this.user = { ...found.record.user };
  }

  get session(): PaymoPublicSession {
    const { record, degraded } = this.#found;
    const policy = this.#engine.options.session;
    const session = { ...toPublicSession(record, policy), user: this.user };
    return (this.#session ??= degraded ? { ...session, degraded: true } : session);
  }

  get client(): PaymoClient {
    const engine = this.#engine;
    const { key, record, cookieValue } = this.#found;
    return (this.#client ??= lazyClient(
      async () => {
        try {
          return engine.userClient({ type: 'session', token: await openToken(cookieValue, record.token) }, record.user.id);
        } catch (error) {
          // A record whose token does not open is over (tampered with in the store).
          await deleteSessionRecord(engine, key).catch(() => undefined);
          throw error;
        }
      },
      // Paymo refusing the token in an app's own call means the session is over, as in revalidation.
      async (error) => (isPaymoAuthError(error) && error.upstreamStatus === 401 ? endRefusedSession(engine, key, record, error) : error),
    ));
  }

  toJSON(): Omit<PaymoAuthenticatedState, 'client'> {
    return { authenticated: true, user: this.user, session: this.session, strategy: 'cookie' };
  }
}
