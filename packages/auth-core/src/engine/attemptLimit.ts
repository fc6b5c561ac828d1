import type { PaymoCredential } from '../credentials.js';
import { sha256 } from '../crypto.js';
import { PaymoAuthError, isPaymoAuthError } from '../errors.js';
import { clientAddressKey } from './clientAddress.js';
import type { Engine } from './engineContext.js';

// Every attempt to prove a credential to Paymo (a sign-in, or a pass-through credential not yet
// cached) is counted in the store BEFORE the upstream call, per client IP and per account, in ONE
// budget shared by sign-in and pass-through. N concurrent attempts can therefore never reach Paymo
// more than the limit allows. An attempt that succeeded, or that met a Paymo outage, is given back;
// a refused credential and a Paymo 429 keep their charge. After a Paymo 429 for an account, further
// attempts for it are answered locally (429 + Retry-After) until Paymo's window ends.
//
// Order matters: the IP is checked first, and an IP over its limit is refused without charging the
// account it names, so a blocked client cannot lock anyone out. An attempt whose reservation failed
// on the store gives its increments back at once: on a stalled Redis they queue behind the increments
// on the same connection, so a resumed store never holds a charge for an attempt that never happened.

/** A non-reversible name for the account a credential claims (lower-cased email, API key or token). */
export function accountKey(credential: PaymoCredential): Promise<string> {
  switch (credential.type) {
    case 'basic':
      return sha256(`email:${credential.email.toLowerCase()}`);
    case 'apiKey':
      return sha256(`api-key:${credential.apiKey}`);
    case 'session':
      return sha256(`session:${credential.token}`);
  }
}

/** How an attempt ended, which decides whether its charge stays. */
export type AttemptOutcome = 'succeeded' | 'refused' | 'paymo-rate-limited' | 'paymo-unavailable';

/** A reserved attempt: call `settle()` once with how it ended. */
export interface ReservedAttempt {
  settle(outcome: AttemptOutcome, retryAfterSeconds?: number): Promise<void>;
}

function limited(resetInMs: number, what: string): PaymoAuthError {
  const retryAfter = Math.max(1, Math.ceil(resetInMs / 1000));
  return new PaymoAuthError('RATE_LIMITED', `Too many attempts ${what}. Retry after ${retryAfter} s.`, { retryAfter });
}

function keysOf(clientIp: string | undefined, account: string) {
  return {
    ip: clientIp ? `rl:attempts:ip:${clientAddressKey(clientIp)}` : undefined,
    account: `rl:attempts:account:${account}`,
    // A counter, not a value: limiter state lives where no flood of values can evict it.
    paymoBusy: `rl:paymo-busy:account:${account}`,
  };
}

/**
 * Reserves one attempt for `credential` from `clientIp`, or rejects with RATE_LIMITED (the IP or the
 * account is over its limit, or Paymo is rate limiting this account) or STORE_UNAVAILABLE.
 */
export async function reserveAttempt(
  engine: Engine,
  credential: PaymoCredential,
  clientIp: string | undefined,
): Promise<ReservedAttempt> {
  const { perIp, perAccount, windowMs } = engine.options.signInRateLimit;
  const keys = keysOf(clientIp, await accountKey(credential));
  const charged: string[] = [];
  const giveBack = (): Promise<void> =>
    Promise.all(charged.splice(0).map((key) => engine.store.increment(key, windowMs, -1))).then(
      () => undefined,
      // Only the count is off (towards stricter) if the store fails here.
      () => undefined,
    );
  const charge = async (key: string): Promise<{ count: number; resetInMs: number }> => {
    charged.push(key);
    return engine.store.increment(key, windowMs);
  };

  let busy: { count: number; resetInMs: number };
  try {
    const [byIp, paymoBusy] = await engine.storeOp(() =>
      Promise.all([keys.ip ? charge(keys.ip) : undefined, engine.store.increment(keys.paymoBusy, 1, 0)]),
    );
    if (byIp !== undefined && byIp.count > perIp) {
      // Refused: the over-limit charge is given back, so a blocked IP's count stays at its limit
      // (the window still runs) instead of growing with every refused request.
      void giveBack();
      throw limited(byIp.resetInMs, 'from this address');
    }
    busy = paymoBusy;
  } catch (error) {
    if (isStoreFailure(error)) void giveBack();
    throw error;
  }
  if (busy.count > 0) {
    const retryAfter = Math.max(1, Math.ceil(busy.resetInMs / 1000));
    throw new PaymoAuthError('RATE_LIMITED', `Paymo is rate limiting this account. Retry after ${retryAfter} s.`, { retryAfter });
  }
  try {
    const byAccount = await engine.storeOp(() => charge(keys.account));
    if (byAccount.count > perAccount) throw limited(byAccount.resetInMs, 'for this account');
  } catch (error) {
    if (isStoreFailure(error)) void giveBack();
    throw error;
  }

  return {
    async settle(outcome, retryAfterSeconds) {
      if (outcome === 'succeeded' || outcome === 'paymo-unavailable') {
        // A user who signs in often is never locked out, and a Paymo outage locks out nobody.
        await giveBack();
        return;
      }
      if (outcome === 'paymo-rate-limited') {
        const ms = Math.max(1, retryAfterSeconds ?? 5) * 1000;
        await engine.store.increment(keys.paymoBusy, ms).catch(() => undefined);
      }
    },
  };
}

function isStoreFailure(error: unknown): boolean {
  return isPaymoAuthError(error) && error.code === 'STORE_UNAVAILABLE';
}

/** How an upstream failure settles an attempt: a refusal or a 429 keeps the charge, an outage does not. */
export function outcomeOfFailure(error: unknown): AttemptOutcome {
  if (isPaymoAuthError(error) && error.code === 'RATE_LIMITED') return 'paymo-rate-limited';
  // Only an outage (5xx, network, timeout) gives the attempt back: any answer Paymo actually gave
  // (a refusal, or any other 4xx) keeps its charge, so no kind of answer opens unlimited guessing.
  return isPaymoAuthError(error) && error.code === 'UPSTREAM_UNAVAILABLE' ? 'paymo-unavailable' : 'refused';
}
