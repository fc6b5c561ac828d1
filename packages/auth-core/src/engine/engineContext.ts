import { chargeQuota, clientFor, resolveClientOptions } from '../client/createPaymoClient.js';
import { USER_CLIENT_SHARE_GETS_FOR_MS } from '../client/quotaBudget.js';
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
import { ExpiringKeySet } from './expiringKeySet.js';
import { createRecordSeal, type RecordSeal } from './recordSeal.js';
import { ParsedRecordCache } from './parsedRecordCache.js';

/** Everything the routes and strategies share: resolved options, the store, clients, in-process state. */
export interface Engine {
  readonly options: ResolvedPaymoAuthOptions;
  readonly store: SessionStore;
  /** Whether the engine created the store (and closes it). */
  readonly ownsStore: boolean;
  readonly now: () => number;
  log(event: PaymoAuthLogEvent): void;
  /**
   * A client for the engine's own calls: no retries, so the request gets its typed 429/503 at once.
   * With `userId` (when known) its calls are counted in that user's budget without waiting; with
   * `queued` too, they wait for room in it like the app's calls (reads a page shows, such as the
   * sessions list, which would rather be late than meet Paymo's 429).
   */
  upstreamClient(credential: PaymoCredential, userId?: number, queued?: boolean): PaymoClient;
  /**
   * A client for the user's own calls (the client's default retry policy); `userId` keys their quota
   * budget, which the engine's own calls for that user count in too.
   */
  userClient(credential: PaymoCredential, userId?: number): PaymoClient;
  /**
   * Counts `calls` the engine made for `userId` before it knew the user (a sign-in's `POST /sessions`
   * and `GET /me`): Paymo counted them in the user's window, so the user's budget (fleet-wide with a
   * shared store) counts them too, and the burst of calls after a sign-in does not meet a 429.
   */
  chargeQuota(userId: number, calls: number): Promise<void>;
  /** Runs a store operation; any failure becomes STORE_UNAVAILABLE (fail closed), logged. */
  storeOp<T>(operation: () => Promise<T>): Promise<T>;
  /** HMAC-SHA-256 (base64url) under a per-process random key: for keys derived from passwords. */
  keyedHash(text: string): Promise<string>;
  readonly revalidations: SingleFlight<LocalSessionRecord>;
  readonly verdicts: SingleFlight<PassThroughVerdict>;
  readonly backoff: UpstreamBackoff;
  /** Pass-through credentials Paymo just refused: remembered in the process, never in the store. */
  readonly rejectedCredentials: ExpiringKeySet;
  /** Authenticates records at rest when the `secret` option is set. */
  readonly records: RecordSeal;
  /** Session records parsed last, reused while the store answers the same string. */
  readonly parsedRecords: ParsedRecordCache;
}

const encoder = /* @__PURE__ */ new TextEncoder();

/** Whose quota budget a user's calls count in: one per Paymo user, whatever credential they use. */
function quotaOwner(userId: number): string {
  return `user:${userId}`;
}

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

  // Client options resolved once, not per call: the engine makes a client per request and credential.
  const clientOptions = {
    baseUrl: options.baseUrl,
    timeoutMs: options.timeoutMs,
    now,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  };
  const engineCalls = resolveClientOptions({ ...clientOptions, retry: false, quota: false });
  // With a shared store (not the per-process memory store) the user's budget is fleet-wide, and the
  // engine's own calls for a known user are counted in it too (without waiting).
  const fleetStore = store instanceof MemorySessionStore ? {} : { store };
  const countedEngineCalls = resolveClientOptions({ ...clientOptions, retry: false, quota: { shareGets: false, ...fleetStore } });
  const userCalls = resolveClientOptions({
    ...clientOptions,
    quota: { shareGetsForMs: USER_CLIENT_SHARE_GETS_FOR_MS, ...fleetStore },
  });

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
    // The engine's own calls (sign-in, re-check, sign-out) are never queued behind the app's data calls.
    upstreamClient: (credential, userId, queued = false) =>
      userId === undefined
        ? clientFor(engineCalls, credential)
        : clientFor(countedEngineCalls, credential, undefined, { owner: quotaOwner(userId), priority: !queued }),
    userClient: (credential, userId) =>
      clientFor(userCalls, credential, undefined, userId === undefined ? {} : { owner: quotaOwner(userId) }),
    chargeQuota: (userId, calls) => chargeQuota(userCalls, quotaOwner(userId), calls),
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
    rejectedCredentials: new ExpiringKeySet(now),
    records: createRecordSeal(options.secret),
    parsedRecords: new ParsedRecordCache(),
  };
}
