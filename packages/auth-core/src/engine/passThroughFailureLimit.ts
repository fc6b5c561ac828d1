import type { PaymoCredential } from '../credentials.js';
import { PaymoAuthError } from '../errors.js';
import { clientAddressKey } from './clientAddress.js';
import type { Engine } from './engineContext.js';
import { accountKey } from './signInRateLimit.js';

// Pass-through credentials (X-Session, Basic) are validated upstream on each cache miss. Each new
// wrong password is a new miss, so failed validations are counted per IP and per account with the
// sign-in limits; past the limit, misses are refused (429) without calling Paymo until the window ends.
// Successful callers are never counted: one upstream call per credential per cache period is normal.

async function blockKeys(credential: PaymoCredential, clientIp: string | undefined): Promise<string[]> {
  const keys: string[] = [];
  // Only passwords are guessable; API keys (44 random characters) and tokens are limited per IP.
  if (credential.type === 'basic') keys.push(`rl:pass-through-block:account:${await accountKey(credential)}`);
  if (clientIp) keys.push(`rl:pass-through-block:ip:${clientAddressKey(clientIp)}`);
  return keys;
}

/** Rejects with RATE_LIMITED while this IP or account is blocked after too many failures. */
export async function checkPassThroughBlock(
  engine: Engine,
  credential: PaymoCredential,
  clientIp: string | undefined,
): Promise<void> {
  const keys = await blockKeys(credential, clientIp);
  if (keys.length === 0) return;
  const values = await engine.storeOp(() => Promise.all(keys.map((key) => engine.store.get(key))));
  const until = Math.max(0, ...values.map((value) => (value === null ? 0 : Number(value) || 0)));
  if (values.some((value) => value !== null)) {
    const retryAfter = Math.max(1, Math.ceil((until - engine.now()) / 1000));
    throw new PaymoAuthError('RATE_LIMITED', `Too many failed credentials. Retry after ${retryAfter} s.`, { retryAfter });
  }
}

/** Counts a failed validation; blocks the IP or account (basic only) once over the sign-in limits. */
export async function recordPassThroughFailure(
  engine: Engine,
  credential: PaymoCredential,
  clientIp: string | undefined,
): Promise<void> {
  const { perIp, perAccount, windowMs } = engine.options.signInRateLimit;
  const counters: Array<{ key: string; block: string; limit: number }> = [];
  if (credential.type === 'basic') {
    const account = await accountKey(credential);
    counters.push({ key: `rl:pass-through:account:${account}`, block: `rl:pass-through-block:account:${account}`, limit: perAccount });
  }
  if (clientIp) {
    const address = clientAddressKey(clientIp);
    counters.push({ key: `rl:pass-through:ip:${address}`, block: `rl:pass-through-block:ip:${address}`, limit: perIp });
  }
  await engine.storeOp(async () => {
    for (const counter of counters) {
      const { count, resetInMs } = await engine.store.increment(counter.key, windowMs);
      if (count >= counter.limit && resetInMs > 0) {
        await engine.store.set(counter.block, String(engine.now() + resetInMs), resetInMs);
      }
    }
  });
}
