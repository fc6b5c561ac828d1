/** Options of {@link SessionStore.set}. */
export interface SessionStoreSetOptions {
  /**
   * Adds the key to this index (e.g. `user:42`) so that {@link SessionStore.deleteIndex} finds it.
   * The index entry disappears with the key (expiry or delete).
   */
  index?: string;
  /**
   * Write only if the stored value has no version or a lower one. Used so that a newer
   * service token is never overwritten by an older one.
   */
  version?: number;
  /**
   * Write only if the key currently exists (and has not expired). Used for updates of a session, so a
   * write racing a sign-out can never bring the deleted session back.
   */
  onlyIfExists?: boolean;
}

/**
 * Where sessions, cached verdicts, locks and counters live. All values are strings the core has
 * already serialised (and, for tokens, encrypted); keys are already hashed. Every method may reject
 * (the engine then fails closed with STORE_UNAVAILABLE).
 *
 * TTLs are in milliseconds and must be > 0: there is no "0 means forever".
 * Run `runSessionStoreConformance` from `@paymo/auth-core/testing` against any implementation.
 */
export interface SessionStore {
  /** The value, or `null` when absent or expired. */
  get(key: string): Promise<string | null>;
  /** Stores `value` for `ttlMs`. Returns false only when `options.version` or `options.onlyIfExists` prevented the write. */
  set(key: string, value: string, ttlMs: number, options?: SessionStoreSetOptions): Promise<boolean>;
  /** Removes the key (and its index entry). Returns whether it existed. */
  delete(key: string): Promise<boolean>;
  /** Live keys of an index (expired ones are never returned). */
  listIndex(index: string): Promise<string[]>;
  /** Deletes every live key of an index and the index itself. Returns how many keys were deleted. */
  deleteIndex(index: string): Promise<number>;
  /**
   * Fixed-window counter: adds `delta` (default 1; may be negative, e.g. -1 to give back an attempt
   * that succeeded) to `key`, starting a window of `windowMs` when none is running. Returns the count
   * in the current window and the ms until it resets.
   */
  increment(key: string, windowMs: number, delta?: number): Promise<{ count: number; resetInMs: number }>;
  /** Takes a lock for `ttlMs` if free. Resolves to an owner token, or null if someone else holds it. */
  acquireLock(key: string, ttlMs: number): Promise<string | null>;
  /** Releases the lock only if `owner` still holds it. */
  releaseLock(key: string, owner: string): Promise<void>;
  /** Optional: frees resources (timers, connections). */
  close?(): Promise<void>;
}
