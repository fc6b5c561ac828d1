import type { PaymoCredential } from './credentials.js';
import { decodeBase64Utf8Strict } from './base64.js';
import { PaymoAuthError, isPaymoAuthError } from './errors.js';

/** Options of {@link parseRequestCredential}. */
export interface ParseRequestCredentialOptions {
  /** Longest accepted value of either header, in characters (each is one byte here). Default 4096. */
  maxHeaderLength?: number;
  /** Read `Authorization: Basic`. When false the header is not even looked at. Default true. */
  basic?: boolean;
  /** Read `X-Session`. When false the header is not even looked at. Default true. */
  sessionHeader?: boolean;
  /** Which one is used when a request sends both (both are still validated). Default `'session'`. */
  prefer?: 'session' | 'basic';
}

/** What {@link parseRequestCredential} found: `null` when the request carries no Paymo credential. */
export interface ParsedRequestCredential {
  credential: PaymoCredential | null;
}

/** The request shape read: a Web `Headers` fits. */
export interface HeaderReader {
  get(name: string): string | null;
}

const DEFAULT_MAX_HEADER_LENGTH = 4096;
const MAX_EMAIL_LENGTH = 254;
const MAX_API_KEY_LENGTH = 256;
const authScheme = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)(?: +(.*))?$/;
const controlCharacter = /[\u0000-\u001f\u007f-\u009f]/;
const email = /^[^\s@]+@[^\s@]+$/;
const apiKey = /^[\x21-\x7e]+$/;
// Paymo's tokens are 32 lowercase hex characters; accept the token68 alphabet so a format change
// upstream does not lock users out, but keep the length sane.
const sessionToken = /^[A-Za-z0-9._~+/=-]{16,512}$/;

function malformed(message: string): PaymoAuthError {
  return new PaymoAuthError('MALFORMED_CREDENTIALS', message);
}

function parseSessionHeader(value: string, maxLength: number): PaymoCredential {
  if (value.length > maxLength) throw malformed('The X-Session header is too long.');
  if (!sessionToken.test(value)) throw malformed('The X-Session header is not a valid session token.');
  return { type: 'session', token: value };
}

function parseAuthorization(value: string, maxLength: number): PaymoCredential | null {
  if (value.length > maxLength) throw malformed('The Authorization header is too long.');
  const match = authScheme.exec(value);
  if (!match) throw malformed('The Authorization header is malformed.');
  // Other schemes (Bearer, ...) belong to someone else: not ours to reject.
  if (match[1]!.toLowerCase() !== 'basic') return null;
  const encoded = match[2]?.trimEnd() ?? '';
  if (encoded === '') throw malformed('The Basic credentials are empty.');
  const decoded = decodeBase64Utf8Strict(encoded);
  if (decoded === null) throw malformed('The Basic credentials are not valid base64 of UTF-8 text.');
  if (controlCharacter.test(decoded)) throw malformed('The Basic credentials contain a control character.');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw malformed('The Basic credentials have no colon between username and password.');
  const username = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  if (username === '') throw malformed('The Basic username is empty.');
  if (username.includes('@')) {
    if (username.length > MAX_EMAIL_LENGTH || !email.test(username)) {
      throw malformed('The Basic username is not a valid email address.');
    }
    if (password === '') throw malformed('The Basic password is empty.');
    return { type: 'basic', email: username, password };
  }
  if (username.length > MAX_API_KEY_LENGTH || !apiKey.test(username)) {
    throw malformed('The API key is not valid.');
  }
  return { type: 'apiKey', apiKey: username };
}

/**
 * Reads the Paymo credential an incoming request carries, strictly.
 *
 * - `X-Session: <token>`: a session token (16-512 characters of the token68 alphabet).
 * - `Authorization: Basic <base64>` (scheme case-insensitive): canonical padded base64 of UTF-8
 *   `username:password`, split at the FIRST colon (so the password may contain colons). A username
 *   with an `@` is an email (`{type:'basic'}`, the password must be non-empty); a username without
 *   one is an API key (`{type:'apiKey'}`, the password is ignored, as Paymo does).
 * - Other `Authorization` schemes (e.g. `Bearer`) are ignored, not rejected.
 * - Both headers sent: both are validated, then `X-Session` wins (`prefer: 'basic'` flips that),
 *   like Paymo (and the fake API) by default.
 *
 * Returns `{ credential: null }` when neither header is present. Throws a `PaymoAuthError` with code
 * MALFORMED_CREDENTIALS (HTTP 400) for anything malformed: a header over `maxHeaderLength`, bad or
 * non-canonical base64, invalid UTF-8, control characters, no colon, an empty username, an email
 * with an empty password, a token with foreign characters, duplicated headers (which `Headers`
 * joins with a comma). It never throws anything else, and its messages never contain the secret.
 *
 * @example
 * ```ts
 * try {
 *   const { credential } = parseRequestCredential(request.headers);
 *   if (!credential) return unauthorized('MISSING_CREDENTIALS');
 *   const user = await createPaymoClient({ credential, baseUrl }).me();
 * } catch (error) {
 *   return errorResponse(error); // 400 MALFORMED_CREDENTIALS
 * }
 * ```
 */
export function parseRequestCredential(
  headers: HeaderReader,
  options: ParseRequestCredentialOptions = {},
): ParsedRequestCredential {
  try {
    const maxLength = options.maxHeaderLength ?? DEFAULT_MAX_HEADER_LENGTH;
    const sessionValue = options.sessionHeader === false ? null : headers.get('x-session');
    const authorizationValue = options.basic === false ? null : headers.get('authorization');
    const fromSession = sessionValue === null ? null : parseSessionHeader(sessionValue, maxLength);
    const fromBasic = authorizationValue === null ? null : parseAuthorization(authorizationValue, maxLength);
    const credential = options.prefer === 'basic' ? (fromBasic ?? fromSession) : (fromSession ?? fromBasic);
    return { credential };
  } catch (error) {
    if (isPaymoAuthError(error)) throw error;
    // A hostile header reader or an engine bug: still only ever the typed error.
    throw new PaymoAuthError('MALFORMED_CREDENTIALS', 'The request credentials could not be read.', {
      cause: error,
    });
  }
}
