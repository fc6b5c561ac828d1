import type { PaymoCredential } from '../credentials.js';
import type { SessionStore } from '../store/SessionStore.js';
import { decrypt, deriveEncryptionKey, encrypt, sha256, toBase64Url } from '../crypto.js';
import { PaymoAuthError } from '../errors.js';

/** A minted service token and when (on our clock, skew-corrected) it ends. */
export interface MintedToken {
  token: string;
  expiresAtMs: number;
}

interface TokenEntry extends MintedToken {
  /** When to start renewing (our clock). */
  renewAtMs: number;
  /** The store write version: normally `expiresAtMs`, bumped to supersede a known-bad token. */
  version: number;
}

/** Options of {@link createServiceSession}. */
export interface ServiceSessionOptions {
  credential: Extract<PaymoCredential, { type: 'basic' | 'apiKey' }>;
  /** Part of the store identity, so a fake and the real Paymo never share a token. */
  baseUrl: string;
  /** `POST /sessions` with the Basic/API-key credential. */
  mint: () => Promise<MintedToken>;
  now: () => number;
  renewBeforeMs: number;
  store?: SessionStore | undefined;
  storeKeyPrefix?: string | undefined;
  /** How long the renewal lock lives: longer than one mint can take. */
  lockTtlMs: number;
  /** How long a process waits for another one's renewal before giving up. */
  waitForOtherMs: number;
}

/** The service-mode token holder the client asks for a token. */
export interface ServiceSession {
  /** A token that is not due for renewal, renewing first (single-flight) when needed. */
  token(): Promise<string>;
  /** After Paymo refused `stale` (401): a different, freshly renewed token. Shared by concurrent callers. */
  renew(stale: string): Promise<string>;
}

const DEFAULT_STORE_KEY_PREFIX = 'paymo:service:';
const KEY_PURPOSE = 'paymo-service-token';
// After a failed renewal a still-valid token keeps being used; do not hammer Paymo meanwhile.
const RENEWAL_COOLDOWN_MS = 10_000;
const POLL_INTERVAL_MS = 50;
// Passwords are low-entropy: stretch them before they key the token at rest (API keys are not).
const PBKDF2_ITERATIONS = 210_000;

const encoder = /* @__PURE__ */ new TextEncoder();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function identityOf(credential: ServiceSessionOptions['credential'], baseUrl: string): string {
  return credential.type === 'apiKey'
    ? `${baseUrl}\napiKey\n${credential.apiKey}`
    : `${baseUrl}\nbasic\n${credential.email.toLowerCase()}`;
}

async function encryptionKeyFor(credential: ServiceSessionOptions['credential'], identity: string): Promise<CryptoKey> {
  if (credential.type === 'apiKey') return deriveEncryptionKey(credential.apiKey, KEY_PURPOSE);
  const material = await crypto.subtle.importKey('raw', encoder.encode(credential.password), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: encoder.encode(`@paymo/auth-core service\n${identity}`), iterations: PBKDF2_ITERATIONS },
    material,
    256,
  );
  return deriveEncryptionKey(toBase64Url(new Uint8Array(bits)), KEY_PURPOSE);
}

/**
 * Holds the service-mode Paymo token: mints it, renews it `renewBeforeMs` ahead of expiry (or at half
 * its life when that is shorter), and makes sure concurrent callers share one renewal. With a store,
 * the token is shared encrypted (key derived from the credential's secret, which the store never sees)
 * under `prefix + sha256(identity)`, a store lock makes a fleet renew once, and writes carry
 * `version: expiresAtMs` so an older token never replaces a newer one. Store failures degrade to
 * in-process renewal: availability of the service account matters more than saving a POST.
 */
export function createServiceSession(options: ServiceSessionOptions): ServiceSession {
  const { store, now } = options;
  let current: TokenEntry | null = null;
  let inflight: Promise<string> | null = null;
  let cooldownUntil = 0;
  let keys: Promise<{ storeKey: string; lockKey: string; cryptoKey: CryptoKey }> | null = null;

  // Plain booleans, not type guards: a false guard would wrongly narrow `current` to null.
  const isFresh = (entry: TokenEntry | null, stale?: string): boolean =>
    entry !== null && entry.token !== stale && now() < entry.renewAtMs;
  const isUsable = (entry: TokenEntry | null, stale?: string): boolean =>
    entry !== null && entry.token !== stale && now() < entry.expiresAtMs;

  function entryFrom(minted: MintedToken, version = minted.expiresAtMs): TokenEntry {
    const life = Math.max(0, minted.expiresAtMs - now());
    return { ...minted, renewAtMs: minted.expiresAtMs - Math.min(options.renewBeforeMs, life / 2), version };
  }

  function adopt(entry: TokenEntry): string {
    if (!current || current.token !== entry.token) current = entry;
    return entry.token;
  }

  function storeKeys() {
    keys ??= (async () => {
      const identity = identityOf(options.credential, options.baseUrl);
      const storeKey = `${options.storeKeyPrefix ?? DEFAULT_STORE_KEY_PREFIX}${await sha256(identity)}`;
      return { storeKey, lockKey: `${storeKey}:lock`, cryptoKey: await encryptionKeyFor(options.credential, identity) };
    })();
    return keys;
  }

  /** The shared entry, or null when absent, unreadable (other secret, tampered) or the store fails. */
  async function readStore(): Promise<TokenEntry | null> {
    try {
      const { storeKey, cryptoKey } = await storeKeys();
      const sealed = await store!.get(storeKey);
      if (sealed === null) return null;
      const parsed = JSON.parse(await decrypt(cryptoKey, sealed)) as Partial<TokenEntry>;
      if (typeof parsed.token !== 'string' || typeof parsed.expiresAtMs !== 'number') return null;
      if (typeof parsed.renewAtMs !== 'number' || typeof parsed.version !== 'number') return null;
      return parsed as TokenEntry;
    } catch {
      return null;
    }
  }

  /** Writes `entry` unless the store holds a newer version; then adopts the newer one if it is good. */
  async function writeStore(entry: TokenEntry, stale: string | undefined): Promise<string> {
    const ttlMs = Math.floor(entry.expiresAtMs - now());
    if (ttlMs <= 0) return adopt(entry);
    try {
      const { storeKey, cryptoKey } = await storeKeys();
      const sealed = await encrypt(cryptoKey, JSON.stringify(entry));
      const written = await store!.set(storeKey, sealed, ttlMs, { version: entry.version });
      if (!written) {
        const newer = await readStore();
        if (newer && isFresh(newer, stale) && newer.version >= entry.version) return adopt(newer);
      }
    } catch {
      // The store is down: this process still has a good token.
    }
    return adopt(entry);
  }

  async function mintViaStore(stale: string | undefined, superseded: TokenEntry | null): Promise<string> {
    const minted = await options.mint();
    // A stale token in the store may carry the same version (same-second expiry): outbid it.
    const version = Math.max(minted.expiresAtMs, superseded && superseded.token === stale ? superseded.version + 1 : 0);
    return writeStore(entryFrom(minted, version), stale);
  }

  async function refreshViaStore(stale: string | undefined): Promise<string> {
    let shared = await readStore();
    if (shared && isFresh(shared, stale)) return adopt(shared);
    const { lockKey } = await storeKeys();
    const deadline = performance.now() + options.waitForOtherMs;
    for (;;) {
      let owner: string | null;
      try {
        owner = await store!.acquireLock(lockKey, options.lockTtlMs);
      } catch {
        return adopt(entryFrom(await options.mint()));
      }
      if (owner !== null) {
        try {
          // Someone may have renewed between our read and our lock.
          shared = await readStore();
          if (shared && isFresh(shared, stale)) return adopt(shared);
          return await mintViaStore(stale, shared);
        } finally {
          await store!.releaseLock(lockKey, owner).catch(() => undefined);
        }
      }
      if (performance.now() >= deadline) {
        throw new PaymoAuthError(
          'UPSTREAM_UNAVAILABLE',
          'Timed out waiting for another process to renew the Paymo service session.',
          { retryAfter: 1 },
        );
      }
      await sleep(POLL_INTERVAL_MS + Math.random() * POLL_INTERVAL_MS);
      shared = await readStore();
      if (shared && isFresh(shared, stale)) return adopt(shared);
    }
  }

  async function refresh(stale: string | undefined): Promise<string> {
    try {
      const token = store ? await refreshViaStore(stale) : adopt(entryFrom(await options.mint()));
      cooldownUntil = 0;
      return token;
    } catch (error) {
      // Renewing ahead of expiry failed, but the current token still works: keep using it for now.
      const fallback = current;
      if (fallback && isUsable(fallback, stale)) {
        cooldownUntil = now() + RENEWAL_COOLDOWN_MS;
        return fallback.token;
      }
      throw error;
    }
  }

  function singleFlight(stale: string | undefined): Promise<string> {
    inflight ??= refresh(stale).finally(() => {
      inflight = null;
    });
    return inflight;
  }

  return {
    token() {
      const entry = current;
      if (entry && isFresh(entry)) return Promise.resolve(entry.token);
      if (entry && isUsable(entry) && now() < cooldownUntil) return Promise.resolve(entry.token);
      return singleFlight(undefined);
    },
    async renew(stale) {
      const entry = current;
      if (entry && isUsable(entry, stale)) return entry.token;
      // A renewal already in flight may have started before `stale` was refused and end on it.
      const joined = await singleFlight(stale);
      if (joined !== stale) return joined;
      return singleFlight(stale);
    },
  };
}
