import { decrypt, deriveEncryptionKey, encrypt } from '../crypto.js';
import { TOKEN_KEY_PURPOSE } from './localSession.js';

// The Paymo token at rest is sealed with a key derived from the cookie value. The store only ever sees
// sha256(cookie value) as the key, so a dump of the store (or the store's own operator) cannot open
// it, and no server secret has to be configured or shared across a fleet.

/** Seals `token` for the session named by `cookieValue`. */
export async function sealToken(cookieValue: string, token: string): Promise<string> {
  return encrypt(await deriveEncryptionKey(cookieValue, TOKEN_KEY_PURPOSE), token);
}

/** Opens a sealed token; rejects when the record was tampered with or belongs to another cookie. */
export async function openToken(cookieValue: string, sealed: string): Promise<string> {
  return decrypt(await deriveEncryptionKey(cookieValue, TOKEN_KEY_PURPOSE), sealed);
}
