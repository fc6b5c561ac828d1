import { createPaymoClient } from '../client/createPaymoClient.js';
import type { PaymoClient } from '../client/types.js';
import type { PaymoCredential } from '../credentials.js';
import { toBase64Url } from '../crypto.js';
import { PaymoAuthError, isPaymoAuthError } from '../errors.js';
import { MemorySessionStore } from '../store/MemorySessionStore.js';
import type { SessionStore } from '../store/SessionStore.js';
import type { LocalSessionRecord } from './localSession.js';
import type { ResolvedPaymoAuthOptions } from './resolveOptions.js';
import { SingleFlight } from './singleFlight.js';
import type { PaymoAuthLogEvent } from './types.js';
import { UpstreamBackoff } from './upstreamBackoff.js';
import type { PassThroughVerdict } from './passThroughVerdict.js';

/** Everything the routes and strategies share: resolved options, the store, clients, in-process state. */
export interface Engine {
  readonly options: ResolvedPaymoAuthOptions;
  readonly store: SessionStore;
  /** Whether the engine created the store (and closes it). */
  readonly ownsStore: boolean;
  readonly now: () => number;
  log(event: PaymoAuthLogEvent): void;
  /** A client for the engine's own calls: no retries, so the request gets its typed 429/503 at once. */
  upstreamClient(credential: PaymoCredential): PaymoClient;
  /** A client handed to the app (the client's default retry policy). */
  userClient(credential: PaymoCredential): PaymoClient;
  /** Runs a store operation; any failure becomes STORE_UNAVAILABLE (fail closed), logged. */
  storeOp<T>(operation: () => Promise<T>): Promise<T>;
  /** HMAC-SHA-256 (base64url) under a per-process random key: for keys derived from passwords. */
  keyedHash(text: string): Promise<string>;
  readonly revalidations: SingleFlight<LocalSessionRecord>;
  readonly verdicts: SingleFlight<PassThroughVerdict>;
  readonly backoff: UpstreamBackoff;
}

const encoder = new TextEncoder();

/** Builds the shared engine state from resolved options. */
export function createEngine(options: ResolvedPaymoAuthOptions): Engine {
  const { now, logger } = options;
  const ownsStore = options.store === undefined;
  // The default store runs on the engine's clock, so a test clock moves sessions and cached verdicts alike.
  const store = options.store ?? new MemorySessionStore({ now });

  const log = (event: PaymoAuthLogEvent): void => {
    if (logger === undefined) return;
    try {
      logger(event);
    } catch {
      // A failing logger must not turn into a failing request.
    }
  };

  const clientOptions = {
    baseUrl: options.baseUrl,
    timeoutMs: options.timeoutMs,
    now,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  };

  let hmacKey: Promise<CryptoKey> | undefined;

  const storeFailure = (error: unknown): never => {
    if (isPaymoAuthError(error) && error.code === 'STORE_UNAVAILABLE') throw error;
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
    log({ level: 'error', message: `Session store failed (${detail.slice(0, 200)})`, code: 'STORE_UNAVAILABLE' });
    throw new PaymoAuthError('STORE_UNAVAILABLE', 'The session store is unavailable. Try again shortly.', {
      retryAfter: 5,
      cause: error,
    });
  };

  return {
    options,
    store,
    ownsStore,
    now,
    log,
    upstreamClient: (credential) => createPaymoClient({ ...clientOptions, credential, retry: false }),
    userClient: (credential) => createPaymoClient({ ...clientOptions, credential }),
    storeOp<T>(operation: () => Promise<T>): Promise<T> {
      // Not an async function: this sits on the hot path, and one less promise hop per call shows.
      try {
        return operation().then(undefined, storeFailure);
      } catch (error) {
        return Promise.reject(storeFailure(error));
      }
    },
    async keyedHash(text: string): Promise<string> {
      hmacKey ??= crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, ['sign']) as Promise<CryptoKey>;
      const signature = await crypto.subtle.sign('HMAC', await hmacKey, encoder.encode(text));
      return toBase64Url(new Uint8Array(signature));
    },
    revalidations: new SingleFlight<LocalSessionRecord>(),
    verdicts: new SingleFlight<PassThroughVerdict>(),
    backoff: new UpstreamBackoff(now),
  };
}
