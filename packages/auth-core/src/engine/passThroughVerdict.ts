import type { PaymoCredential } from '../credentials.js';
import { fastSha256 } from './fastSha256.js';
import type { PaymoPublicUser } from '../publicSession.js';
import type { Engine } from './engineContext.js';

/** A cached upstream verdict on a pass-through credential: public data only, never the secret. */
export type PassThroughVerdict =
  | { v: 1; ok: true; user: PaymoPublicUser; checkedAt: number }
  | { v: 1; ok: false; checkedAt: number };

/**
 * Store key of a credential's verdict. Tokens and API keys are long random strings, so a sha256 of
 * them is safe to share across a fleet. An email:password pair is guessable, and a plain hash in a
 * store dump could be cracked offline: it is keyed (HMAC) with a per-process random key instead,
 * at the price of one upstream call per process (not per fleet) per cache period.
 */
export async function verdictKey(engine: Engine, credential: PaymoCredential): Promise<string> {
  switch (credential.type) {
    case 'session':
      return `verdict:${await fastSha256(`x-session:${credential.token}`)}`;
    case 'apiKey':
      return `verdict:${await fastSha256(`api-key:${credential.apiKey}`)}`;
    case 'basic':
      return `verdict:basic:${await engine.keyedHash(`${credential.email}:${credential.password}`)}`;
  }
}

/** Parses a stored verdict; `null` for anything malformed (then it is checked upstream again). */
export function parseVerdict(raw: string | null): PassThroughVerdict | null {
  if (raw === null) return null;
  try {
    const value = JSON.parse(raw) as Partial<PassThroughVerdict> | null;
    if (value === null || value.v !== 1 || typeof value.checkedAt !== 'number') return null;
    if (value.ok === false) return value as PassThroughVerdict;
    if (value.ok === true && typeof value.user === 'object' && value.user !== null && typeof value.user.id === 'number') {
      return value as PassThroughVerdict;
    }
    return null;
  } catch {
    return null;
  }
}
