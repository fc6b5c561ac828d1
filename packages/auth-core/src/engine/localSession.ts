import type { PaymoPublicSession, PaymoPublicUser } from '../publicSession.js';
import type { PaymoUser } from '../user.js';

// The local session record, as JSON in the store under `sess:` + sha256(cookie value). It holds no
// secret in clear: the Paymo token is AES-GCM sealed with a key derived from the cookie value, which
// the store never sees. All times are ms on the engine's clock (Paymo's expiry is corrected for skew).

/** Record format version: a record of another version is treated as absent. */
export const LOCAL_SESSION_VERSION = 1;

/** HKDF purpose of the key that seals the Paymo token. */
export const TOKEN_KEY_PURPOSE = 'paymo-session-token';

/** What the store holds for one signed-in browser. */
export interface LocalSessionRecord {
  v: typeof LOCAL_SESSION_VERSION;
  user: PaymoPublicUser;
  /** When the user signed in. */
  createdAt: number;
  /** Paymo's `expires_on`, converted to our clock with the skew measured from Paymo's `Date` header. */
  upstreamExpiresAt: number;
  /** Paymo's `expires_on` on Paymo's own clock (ms), to compare with the `Date` of a later Paymo answer. */
  upstreamExpiresOn?: number;
  /** Last request seen (written at most every `touchIntervalMs`). */
  lastSeenAt: number;
  /** Last time Paymo confirmed the upstream session still exists. */
  lastCheckedAt: number;
  /** The Paymo session token (which is also its id), sealed: `iv.ciphertext`. */
  token: string;
  strategy: 'cookie';
  /** How the user proved who they are at sign-in. */
  signedInWith: 'basic' | 'api-key';
}

/** The lifetime limits of a local session. */
export interface SessionPolicy {
  maxAgeMs: number;
  idleTimeoutMs: number;
}

/** Store key of a session: the hash of the cookie value, never the value. */
export function sessionStoreKey(cookieHash: string): string {
  return `sess:${cookieHash}`;
}

/** Store index of everything belonging to one Paymo user (sessions, cached verdicts): revoke-all. */
export function userIndex(userId: number): string {
  return `user:${userId}`;
}

/** The fixed end of a session: Paymo's expiry or the maximum age, whichever is first. */
export function absoluteExpiry(record: LocalSessionRecord, policy: SessionPolicy): number {
  return Math.min(record.upstreamExpiresAt, record.createdAt + policy.maxAgeMs);
}

/** When the session ends unless used again: the earliest of Paymo's expiry, max age and idle timeout. */
export function effectiveExpiry(record: LocalSessionRecord, policy: SessionPolicy): number {
  return Math.min(absoluteExpiry(record, policy), record.lastSeenAt + policy.idleTimeoutMs);
}

/** Store TTL for the record: until its effective expiry, at least 1 ms. */
export function recordTtl(record: LocalSessionRecord, policy: SessionPolicy, now: number): number {
  return Math.max(1, Math.ceil(effectiveExpiry(record, policy) - now));
}

/**
 * Write version for the store's `version` guard: records only move forward in time, so a slow
 * concurrent write of an older snapshot never overwrites a newer one.
 */
export function recordVersion(record: LocalSessionRecord): number {
  return Math.max(record.lastSeenAt, record.lastCheckedAt);
}

/** The public fields of a Paymo user: what a browser may see. */
export function publicUser(user: PaymoUser | PaymoPublicUser): PaymoPublicUser {
  const result: PaymoPublicUser = { id: user.id, name: user.name, email: user.email, type: user.type };
  if (typeof user.timezone === 'string') result.timezone = user.timezone;
  if (typeof user.image === 'string' || user.image === null) result.image = user.image;
  return result;
}

/** The public view of a local session (no token, no id). */
export function toPublicSession(record: LocalSessionRecord, policy: SessionPolicy): PaymoPublicSession {
  return {
    user: record.user,
    expiresAt: new Date(effectiveExpiry(record, policy)).toISOString(),
    createdAt: new Date(record.createdAt).toISOString(),
    strategy: 'cookie',
  };
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Parses a stored record; `null` for anything that is not a well-formed current-version record. */
export function parseLocalSession(raw: string): LocalSessionRecord | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Partial<LocalSessionRecord>;
  const user = record.user;
  if (
    record.v !== LOCAL_SESSION_VERSION ||
    typeof record.token !== 'string' ||
    !isFiniteNumber(record.createdAt) ||
    !isFiniteNumber(record.upstreamExpiresAt) ||
    !isFiniteNumber(record.lastSeenAt) ||
    !isFiniteNumber(record.lastCheckedAt) ||
    typeof user !== 'object' ||
    user === null ||
    typeof user.id !== 'number'
  ) {
    return null;
  }
  return record as LocalSessionRecord;
}
