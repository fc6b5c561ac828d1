import type { PaymoCredential } from '../credentials.js';
import { sha256 } from '../crypto.js';
import { PaymoAuthError } from '../errors.js';
import { clientAddressKey } from './clientAddress.js';
import type { Engine } from './engineContext.js';

// Sign-in attempts are counted in the store (so a fleet shares the count) BEFORE any upstream call:
// one client can neither brute-force passwords through the app nor spend the app's Paymo rate limit.
// An attempt that succeeds is given back, so the limits count failures (and attempts in flight): a
// user who signs in often is never locked out, while parallel guesses are still counted up front.

/** A non-reversible name for the account a credential claims (lower-cased email, or API key). */
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

function limited(resetInMs: number, what: string): PaymoAuthError {
  const retryAfter = Math.max(1, Math.ceil(resetInMs / 1000));
  return new PaymoAuthError('RATE_LIMITED', `Too many sign-in attempts ${what}. Retry after ${retryAfter} s.`, {
    retryAfter,
  });
}

/**
 * Counts one sign-in attempt per client IP (when the adapter knows it) and per account, and rejects
 * with RATE_LIMITED (Retry-After = the window's remaining time) once either is over its limit.
 * Resolves a function that gives the attempt back; call it when the sign-in succeeded.
 */
export async function checkSignInRateLimit(
  engine: Engine,
  clientIp: string | undefined,
  account: string,
): Promise<() => Promise<void>> {
  const { perIp, perAccount, windowMs } = engine.options.signInRateLimit;
  const keys = [`rl:sign-in:account:${account}`, ...(clientIp ? [`rl:sign-in:ip:${clientAddressKey(clientIp)}`] : [])];
  const [byAccount, byIp] = await engine.storeOp(() => Promise.all(keys.map((key) => engine.store.increment(key, windowMs))));
  if (byIp !== undefined && byIp.count > perIp) throw limited(byIp.resetInMs, 'from this address');
  if (byAccount!.count > perAccount) throw limited(byAccount!.resetInMs, 'for this account');
  return async () => {
    try {
      await Promise.all(keys.map((key) => engine.store.increment(key, windowMs, -1)));
    } catch {
      // Only the count is off (towards stricter) if the store failed here; the sign-in itself stands.
    }
  };
}
