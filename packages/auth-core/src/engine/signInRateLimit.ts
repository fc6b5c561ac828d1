import type { PaymoCredential } from '../credentials.js';
import { sha256 } from '../crypto.js';
import { PaymoAuthError } from '../errors.js';
import type { Engine } from './engineContext.js';

// Sign-in attempts are counted in the store (so a fleet shares the count) BEFORE any upstream call:
// one client can neither brute-force passwords through the app nor spend the app's Paymo rate limit.

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
 */
export async function checkSignInRateLimit(engine: Engine, clientIp: string | undefined, account: string): Promise<void> {
  const { perIp, perAccount, windowMs } = engine.options.signInRateLimit;
  const [byIp, byAccount] = await engine.storeOp(() =>
    Promise.all([
      clientIp ? engine.store.increment(`rl:sign-in:ip:${clientIp}`, windowMs) : Promise.resolve(null),
      engine.store.increment(`rl:sign-in:account:${account}`, windowMs),
    ]),
  );
  if (byIp !== null && byIp.count > perIp) throw limited(byIp.resetInMs, 'from this address');
  if (byAccount.count > perAccount) throw limited(byAccount.resetInMs, 'for this account');
}
