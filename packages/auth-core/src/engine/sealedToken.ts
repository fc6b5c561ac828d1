import { decrypt, deriveEncryptionKey, encrypt } from '../crypto.js';
import { PaymoAuthError } from '../errors.js';
import { TOKEN_KEY_PURPOSE } from './localSession.js';

// The Paymo token at rest is sealed with a key derived from the cookie value. The store only ever sees
// sha256(cookie value) as the key, so a dump of the store (or the store's own operator) cannot open
// it, and no server secret has to be configured or shared across a fleet.

/** Seals `token` for the session named by `cookieValue`. */
export async function sealToken(cookieValue: string, token: string): Promise<string> {
  return encrypt(await deriveEncryptionKey(cookieValue, TOKEN_KEY_PURPOSE), token);
}

/** The typed error of a sealed token that does not open (a record tampered with, or another cookie's). */
export function unreadableSession(cause?: unknown): PaymoAuthError {
  return new PaymoAuthError('SESSION_EXPIRED', 'The session could not be read. Sign in again.', { cause });
}

/**
 * Opens a sealed token. Rejects only with {@link unreadableSession} when the record was tampered with
 * or belongs to another cookie: a crypto error (OperationError) never escapes untyped.
 */
export async function openToken(cookieValue: string, sealed: string): Promise<string> {
  try {
    return await decrypt(await deriveEncryptionKey(cookieValue, TOKEN_KEY_PURPOSE), sealed);
  } catch (error) {
    throw unreadableSession(error);
  }
}
