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
  /**
   * Optional, for stores that hold their values in the process: what `get` would resolve, without a
   * promise (`undefined` when it cannot be known without I/O; the engine then calls `get`). The hot
   * path authenticates a cookie session with it in one synchronous step.
   */
  peek?(key: string): string | null | undefined;
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
   * that succeeded) to `key`, starting a window of `windowMs` when none is running. A delta <= 0 never
   * starts a window (with none running it returns `{count: 0, resetInMs: 0}`), so `delta: 0` reads a
   * counter, and a negative delta never takes a count below 0 (a late give-back cannot leave credit). Returns the count in the current
   * window and the ms until it resets. Counters must not be lost to floods of other keys' writes: a
   * bounded store evicts the lowest counts first (never a counter over a limit before its own kind).
   */
  increment(key: string, windowMs: number, delta?: number): Promise<{ count: number; resetInMs: number }>;
  /**
   * Optional: a sliding-window admission, for the fleet-wide Paymo quota. When fewer than `limit` uses
   * of `key` fall in the last `windowMs`, records `calls` uses (default 1) now and resolves 0; else
   * records nothing and resolves the ms until enough of them have left the window. Atomic, on one clock
   * for every process (Redis: its own). A store without it gets a fixed window built on `increment`,
   * which can let a little more through where its windows and Paymo's are not aligned.
   */
  admit?(key: string, windowMs: number, limit: number, calls?: number): Promise<number>;
  /**
   * Optional, preferred over `admit` by the fleet-wide Paymo quota: a place in line. Records one use of
   * `key` at `at`, the earliest time from now on such that fewer than `limit` of the key's uses (those
   * made and the places handed out before, including any later than `at`) are later than
   * `at - windowMs`; that is, `max(now, the limit-th newest use + windowMs)`. Resolves `at - now` (0:
   * now). Callers are so served in the order they asked, whichever process they are in. When `at` is
   * more than `maxWaitMs` away, records nothing and resolves the wait. Atomic, on one clock for every
   * process, in the same window as `admit` (which counts places ahead as uses).
   */
  reserve?(key: string, windowMs: number, limit: number, maxWaitMs: number): Promise<number>;
  /** Takes a lock for `ttlMs` if free. Resolves to an owner token, or null if someone else holds it. */
  acquireLock(key: string, ttlMs: number): Promise<string | null>;
  /** Releases the lock only if `owner` still holds it. */
  releaseLock(key: string, owner: string): Promise<void>;
  /** Optional: frees resources (timers, connections). */
  close?(): Promise<void>;
}
