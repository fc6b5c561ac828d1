import type { PaymoCredential } from './credentials.js';
import { encodeBase64Utf8 } from './base64.js';
import { PaymoAuthError } from './errors.js';

/**
 * The password sent with an API key. Paymo ignores it ("any text"), but HTTP Basic needs one.
 */
export const API_KEY_FILLER_PASSWORD = 'X';

// C0 controls, DEL and C1 controls: never legitimate in a credential, and CR/LF would split headers.
const controlCharacter = /[\u0000-\u001f\u007f-\u009f]/;
const visibleAscii = /^[\x21-\x7e]+$/;

function malformed(message: string): PaymoAuthError {
  return new PaymoAuthError('MALFORMED_CREDENTIALS', message);
}

/**
 * The request headers that authenticate `credential` against Paymo:
 * `Authorization: Basic base64(utf8(email:password))`, `Authorization: Basic base64(apiKey:X)`, or
 * `X-Session: <token>`.
 *
 * Throws a `PaymoAuthError` MALFORMED_CREDENTIALS (never echoing the secret) when the credential
 * cannot be sent faithfully: an empty field, a colon in the email or API key (Basic splits at the first
 * colon), a control character, or a token that is not visible ASCII.
 *
 * @example
 * ```ts
 * const headers = credentialHeaders({ type: 'apiKey', apiKey: process.env.PAYMO_API_KEY! });
 * await fetch('https://app.paymoapp.com/api/me', { headers: { ...headers, Accept: 'application/json' } });
 * ```
 */
export function credentialHeaders(credential: PaymoCredential): Record<string, string> {
  switch (credential?.type) {
    case 'basic': {
      const { email, password } = credential;
      if (typeof email !== 'string' || email === '') throw malformed('The email is empty.');
      if (typeof password !== 'string' || password === '') throw malformed('The password is empty.');
      if (email.includes(':')) throw malformed('An email cannot contain a colon in HTTP Basic.');
      if (controlCharacter.test(email) || controlCharacter.test(password)) {
        throw malformed('The email or password contains a control character.');
      }
      return { Authorization: `Basic ${encodeBase64Utf8(`${email}:${password}`)}` };
    }
    case 'apiKey': {
      const { apiKey } = credential;
      if (typeof apiKey !== 'string' || apiKey === '') throw malformed('The API key is empty.');
      if (apiKey.includes(':') || controlCharacter.test(apiKey)) {
        throw malformed('The API key contains a colon or a control character.');
      }
      return { Authorization: `Basic ${encodeBase64Utf8(`${apiKey}:${API_KEY_FILLER_PASSWORD}`)}` };
    }
    case 'session': {
      const { token } = credential;
      if (typeof token !== 'string' || !visibleAscii.test(token)) {
        throw malformed('The session token must be non-empty visible ASCII.');
      }
      return { 'X-Session': token };
    }
    default:
      throw malformed('Unknown credential type.');
  }
}
