// The session cookie: an opaque 256-bit random value (never anything else), HttpOnly, Path=/,
// SameSite, and over HTTPS `Secure` plus the `__Host-` prefix, which forbids a Domain attribute, so a
// sibling subdomain cannot plant its own session cookie on us.

/** What `randomToken()` (32 bytes, base64url) produces; anything else in our cookie is malformed. */
const COOKIE_VALUE = /^[A-Za-z0-9_-]{43}$/;

/** Longest Cookie header we parse; browsers cap a cookie at 4 KiB, Node headers at 16 KiB. */
const MAX_COOKIE_HEADER = 32_768; // 32 KiB

/** Attributes shared by setting and clearing. */
export interface SessionCookieAttributes {
  /** The configured name, without prefix. */
  name: string;
  sameSite: 'Lax' | 'Strict';
  secure: boolean;
}

/** The cookie's name in this context: `__Host-<name>` over HTTPS, `<name>` otherwise. */
export function sessionCookieName(name: string, secure: boolean): string {
  return secure ? `__Host-${name}` : name;
}

/** The outcome of reading our cookie from a Cookie header. */
export type CookieLookup =
  | { kind: 'absent' }
  | { kind: 'malformed' }
  | { kind: 'present'; value: string };

const ABSENT: CookieLookup = { kind: 'absent' };
const MALFORMED: CookieLookup = { kind: 'malformed' };

/**
 * Finds `name` in a Cookie header (first occurrence wins: browsers send the most specific path first)
 * and checks its value is one of ours. Never throws.
 */
export function readSessionCookie(header: string | null, name: string): CookieLookup {
  if (header === null) return ABSENT;
  if (header.length > MAX_COOKIE_HEADER) return header.includes(`${name}=`) ? MALFORMED : ABSENT;
  let start = 0;
  while (start < header.length) {
    let end = header.indexOf(';', start);
    if (end === -1) end = header.length;
    const pair = header.slice(start, end);
    start = end + 1;
    const equals = pair.indexOf('=');
    if (equals === -1) continue;
    if (pair.slice(0, equals).trim() !== name) continue;
    const value = pair.slice(equals + 1).trim();
    return COOKIE_VALUE.test(value) ? { kind: 'present', value } : MALFORMED;
  }
  return ABSENT;
}

function attributes(cookie: SessionCookieAttributes): string {
  return `Path=/; HttpOnly; SameSite=${cookie.sameSite}${cookie.secure ? '; Secure' : ''}`;
}

/** Set-Cookie for a new session, living `maxAgeMs` (rounded down to whole seconds, at least 1). */
export function serializeSessionCookie(cookie: SessionCookieAttributes, value: string, maxAgeMs: number): string {
  const maxAge = Math.max(1, Math.floor(maxAgeMs / 1000));
  return `${sessionCookieName(cookie.name, cookie.secure)}=${value}; Max-Age=${maxAge}; ${attributes(cookie)}`;
}

/** Set-Cookie that makes the browser drop the session cookie. */
export function clearSessionCookie(cookie: SessionCookieAttributes): string {
  return `${sessionCookieName(cookie.name, cookie.secure)}=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; ${attributes(cookie)}`;
}
