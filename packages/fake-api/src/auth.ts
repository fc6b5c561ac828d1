import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { fakeError, type FakeError } from './errors.js';
import type { SeedUser } from './seed.js';
import type { FakePaymoState, StoredSession } from './state.js';

/** Which credential a request was judged by (`'none'`: no usable credential at all). */
export type AuthScheme = 'session' | 'basic' | 'apiKey' | 'none';

/** @internal The verdict on a request's credentials. */
export type AuthOutcome =
  | { ok: true; scheme: Exclude<AuthScheme, 'none'>; user: SeedUser; session?: StoredSession }
  | { ok: false; scheme: AuthScheme; error: FakeError; userId?: number };

/** @internal */
export interface AuthSettings {
  sessionHeaderWins: boolean;
  emailCaseSensitive: boolean;
  maxCredentialHeaderBytes: number;
  slidingExpiry: boolean;
  sessionLifetimeMs: number;
}

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const CONTROL = /[\u0000-\u001f\u007f]/;
const TOKEN_CHARS = /^[\x21-\x7e]+$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

const unauthorized = (reason: FakeError['reason'], message: string): FakeError => fakeError(401, reason, message).error;

/**
 * Strictly parses an `Authorization: Basic` value (RFC 7617): scheme, one token of padded base64,
 * valid UTF-8, a `:` separator, no control characters, a non-empty user part.
 *
 * @example
 * parseBasicAuthorization(`Basic ${btoa('michael@dundermifflin.com:worlds-best-boss')}`);
 * // { ok: true, username: 'michael@dundermifflin.com', password: 'worlds-best-boss' }
 */
export function parseBasicAuthorization(
  header: string,
): { ok: true; username: string; password: string } | { ok: false; problem: 'malformed' | 'unsupported_scheme' } {
  const trimmed = header.trim();
  const gap = trimmed.search(/[ \t]/);
  const scheme = gap === -1 ? trimmed : trimmed.slice(0, gap);
  if (scheme.toLowerCase() !== 'basic') return { ok: false, problem: trimmed === '' ? 'malformed' : 'unsupported_scheme' };
  const token = gap === -1 ? '' : trimmed.slice(gap).trim();
  if (token === '' || !STRICT_BASE64.test(token)) return { ok: false, problem: 'malformed' };
  let decoded: string;
  try {
    decoded = utf8.decode(Buffer.from(token, 'base64'));
  } catch {
    return { ok: false, problem: 'malformed' };
  }
  const colon = decoded.indexOf(':');
  if (colon <= 0 || CONTROL.test(decoded)) return { ok: false, problem: 'malformed' };
  return { ok: true, username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function countRaw(rawHeaders: string[], name: string): number {
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i]?.toLowerCase() === name) count++;
  return count;
}

function samePassword(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * @internal Resolves a request's credentials the way paymo-api.md §7.1 describes: X-Session (by
 * default preferred when both are sent), else Basic with an API key (password ignored) or
 * email:password of an active user; archived users are refused with every credential.
 */
export function authenticate(
  headers: IncomingHttpHeaders,
  rawHeaders: string[],
  state: FakePaymoState,
  settings: AuthSettings,
  now: number,
): AuthOutcome {
  const sessionHeader = headers['x-session'];
  const authorization = headers.authorization;
  const hasSession = sessionHeader !== undefined;
  const hasBasic = authorization !== undefined;
  if (!hasSession && !hasBasic) {
    return {
      ok: false,
      scheme: 'none',
      error: unauthorized('missing_credentials', 'Authentication required: send X-Session, or HTTP Basic with email:password or apiKey:any-text'),
    };
  }
  const useSession = hasSession && (settings.sessionHeaderWins || !hasBasic);
  return useSession
    ? bySession(String(sessionHeader), countRaw(rawHeaders, 'x-session'), state, settings, now)
    : byBasic(String(authorization), countRaw(rawHeaders, 'authorization'), state, settings);
}

function bySession(value: string, copies: number, state: FakePaymoState, settings: AuthSettings, now: number): AuthOutcome {
  const token = value.trim();
  if (copies > 1 || token.length > settings.maxCredentialHeaderBytes || !TOKEN_CHARS.test(token)) {
    return { ok: false, scheme: 'session', error: unauthorized('malformed_credentials', 'Malformed X-Session header') };
  }
  const session = state.sessions.get(token);
  if (!session) {
    return state.ended.has(token)
      ? { ok: false, scheme: 'session', error: unauthorized('ended_session', 'Session has ended') }
      : { ok: false, scheme: 'session', error: unauthorized('unknown_session', 'Invalid session token') };
  }
  const user = state.users.get(session.userId);
  if (!user) return { ok: false, scheme: 'session', error: unauthorized('unknown_session', 'Invalid session token') };
  if (state.isExpired(session, now)) {
    return { ok: false, scheme: 'session', userId: user.id, error: unauthorized('expired_session', 'Session has expired') };
  }
  if (!user.active) return { ok: false, scheme: 'session', userId: user.id, error: unauthorized('archived_user', 'User is archived') };
  if (settings.slidingExpiry) {
    session.updatedOn = now;
    session.expiresOn = now + settings.sessionLifetimeMs;
  }
  return { ok: true, scheme: 'session', user, session };
}

function byBasic(value: string, copies: number, state: FakePaymoState, settings: AuthSettings): AuthOutcome {
  if (copies > 1 || value.length > settings.maxCredentialHeaderBytes) {
    return { ok: false, scheme: 'basic', error: unauthorized('malformed_credentials', 'Malformed Authorization header') };
  }
  const parsed = parseBasicAuthorization(value);
  if (!parsed.ok) {
    return parsed.problem === 'unsupported_scheme'
      ? { ok: false, scheme: 'none', error: unauthorized('unsupported_scheme', 'Unsupported Authorization scheme: use HTTP Basic or X-Session') }
      : { ok: false, scheme: 'basic', error: unauthorized('malformed_credentials', 'Malformed Authorization header') };
  }
  const keyOwner = state.userByApiKey(parsed.username);
  if (keyOwner) {
    return keyOwner.active
      ? { ok: true, scheme: 'apiKey', user: keyOwner }
      : { ok: false, scheme: 'apiKey', userId: keyOwner.id, error: unauthorized('archived_user', 'User is archived') };
  }
  const match = state
    .usersByEmail(parsed.username, settings.emailCaseSensitive)
    .find((user) => user.password !== undefined && samePassword(parsed.password, user.password));
  if (!match) return { ok: false, scheme: 'basic', error: unauthorized('invalid_credentials', 'Invalid email or password') };
  if (!match.active) return { ok: false, scheme: 'basic', userId: match.id, error: unauthorized('archived_user', 'User is archived') };
  return { ok: true, scheme: 'basic', user: match };
}
