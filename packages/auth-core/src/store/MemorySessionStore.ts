import type { SessionStore, SessionStoreSetOptions } from './SessionStore.js';
import { assertPositiveMs } from './assertPositiveMs.js';

/** Options of {@link MemorySessionStore}. */
export interface MemorySessionStoreOptions {
  /**
   * Most values kept at once (counters and locks are bounded by the same number, each on its own).
   * When full, the least recently *written* value is evicted. A counter is evicted by count, not age:
   * of the oldest counters, an expired one or the one with the lowest count goes, so a flood of new
   * keys (count 1 each) pushes out its own kind and never a locked account or a blocked IP. Default 100 000.
   */
  maxEntries?: number;
  /** How often expired entries are swept out, in ms. Default 60 000. The timer never keeps the process alive. */
  sweepIntervalMs?: number;
  /** The clock, in ms. Default `Date.now`, so fake timers and `setSystemTime` in tests move it. */
  now?: () => number;
}

/** Sizes of a {@link MemorySessionStore}, for metrics and tests. */
export interface MemorySessionStoreStats {
  values: number;
  indexes: number;
  indexedKeys: number;
  counters: number;
  locks: number;
}

class ValueEntry {
  constructor(
    public value: string,
    public expiresAt: number,
    public version: number | undefined,
    public index: string | undefined,
  ) {}
}

interface CounterEntry {
  count: number;
  resetAt: number;
}

/** How many of the oldest counters one eviction compares: the lowest count among them goes. */
const EVICTION_SAMPLE = 32;

interface LockEntry {
  owner: string;
  expiresAt: number;
}

/**
 * The embedded default {@link SessionStore}: a bounded in-process map with exact millisecond TTLs.
 * Good for one process; use `@paymo/auth-redis` when several instances share sessions.
 *
 * - Bounded: at most `maxEntries` values; when full, the least recently written value is evicted
 *   (a write, not a read, refreshes a key, so `get` stays a plain lookup on the hot path).
 * - Expiry is checked on every read, and a periodic sweep (on an `unref()`ed timer) frees expired
 *   values, counters and locks that nobody reads again.
 * - Index entries disappear with their key (expiry, eviction, delete, or a rewrite under another
 *   index): an index always names the keys whose latest write gave that index.
 * - Values, counters and locks are separate namespaces: `get('x')` never sees `increment('x')`.
 *
 * @example
 * ```ts
 * import { MemorySessionStore } from '@paymo/auth-core';
 *
 * const store = new MemorySessionStore({ maxEntries: 50_000 });
 * await store.set('session:abc', JSON.stringify(session), 60 * 60 * 1000, { index: 'user:42' });
 * await store.get('session:abc'); // the JSON, until the hour is over
 * await store.deleteIndex('user:42'); // sign out everywhere: 1
 * await store.close();
 * ```
 */
export class MemorySessionStore implements SessionStore {
  readonly #values = new Map<string, ValueEntry>();
  readonly #indexes = new Map<string, Set<string>>();
  readonly #counters = new Map<string, CounterEntry>();
  /** Sliding windows of `admit` and `reserve`: each key's use times (ascending; places handed out may lie ahead) and the window last asked for. */
  readonly #windows = new Map<string, { uses: number[]; windowMs: number }>();
  readonly #locks = new Map<string, LockEntry>();
  readonly #maxEntries: number;
  readonly #now: () => number;
  #sweepTimer: ReturnType<typeof setInterval> | undefined;

  constructor(options: MemorySessionStoreOptions = {}) {
    const { maxEntries = 100_000, sweepIntervalMs = 60_000, now = Date.now } = options;
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new TypeError(`MemorySessionStore: maxEntries must be a positive integer, got ${String(maxEntries)}`);
    }
    assertPositiveMs(sweepIntervalMs, 'MemorySessionStore: sweepIntervalMs');
    this.#maxEntries = maxEntries;
    this.#now = now;
    this.#sweepTimer = setInterval(() => this.sweep(), sweepIntervalMs);
    // Node returns a Timeout with unref(); other runtimes may return a number.
    (this.#sweepTimer as { unref?: () => void }).unref?.();
  }

  async get(key: string): Promise<string | null> {
    return this.#read(key);
  }

  /**
   * What `get` resolves, synchronously. `undefined` when `get` was overridden (a subclass or a wrapper
   * that logs, counts or decorates reads): the engine then asks through `get`, so the override is
   * never bypassed.
   */
  peek(key: string): string | null | undefined {
    if (this.get !== MemorySessionStore.prototype.get) return undefined;
    return this.#read(key);
  }

  #read(key: string): string | null {
    const entry = this.#values.get(key);
    if (entry === undefined) return null;
    if (entry.expiresAt <= this.#now()) {
      this.#removeValue(key, entry);
      return null;
    }
    return entry.value;
  }

  async set(key: string, value: string, ttlMs: number, options?: SessionStoreSetOptions): Promise<boolean> {
    if (typeof value !== 'string') throw new TypeError('MemorySessionStore: values must be strings');
    assertPositiveMs(ttlMs, 'MemorySessionStore: ttlMs');
    const version = options?.version;
    if (version !== undefined && !Number.isFinite(version)) {
      throw new TypeError(`MemorySessionStore: version must be a finite number, got ${String(version)}`);
    }
    const now = this.#now();
    const existing = this.#values.get(key);
    if (options?.onlyIfExists && (existing === undefined || existing.expiresAt <= now)) return false;
    if (existing !== undefined) {
      const live = existing.expiresAt > now;
      if (live && version !== undefined && existing.version !== undefined && existing.version >= version) {
        return false;
      }
      // Deleting first moves the key to the end of the Map's order: eviction takes the least recently written.
      this.#removeValue(key, existing);
    }
    const index = options?.index;
    while (this.#values.size >= this.#maxEntries) this.#evictOldestValue();
    this.#values.set(key, new ValueEntry(value, now + ttlMs, version, index));
    if (index !== undefined) {
      let members = this.#indexes.get(index);
      if (members === undefined) {
        members = new Set();
        this.#indexes.set(index, members);
      }
      members.add(key);
    }
    return true;
  }

  async delete(key: string): Promise<boolean> {
    const entry = this.#values.get(key);
    if (entry === undefined) return false;
    this.#removeValue(key, entry);
    return entry.expiresAt > this.#now();
  }

  async listIndex(index: string): Promise<string[]> {
    const members = this.#indexes.get(index);
    if (members === undefined) return [];
    const now = this.#now();
    const live: string[] = [];
    for (const key of members) {
      const entry = this.#values.get(key);
      if (entry === undefined || entry.index !== index) members.delete(key);
      else if (entry.expiresAt <= now) this.#removeValue(key, entry);
      else live.push(key);
    }
    if (members.size === 0) this.#indexes.delete(index);
    return live;
  }

  async deleteIndex(index: string): Promise<number> {
    const members = this.#indexes.get(index);
    if (members === undefined) return 0;
    this.#indexes.delete(index);
    const now = this.#now();
    let deleted = 0;
    for (const key of members) {
      const entry = this.#values.get(key);
      if (entry === undefined || entry.index !== index) continue;
      this.#values.delete(key);
      if (entry.expiresAt > now) deleted++;
    }
    return deleted;
  }

  async increment(key: string, windowMs: number, delta = 1): Promise<{ count: number; resetInMs: number }> {
    assertPositiveMs(windowMs, 'MemorySessionStore: windowMs');
    if (!Number.isSafeInteger(delta)) throw new TypeError('MemorySessionStore: delta must be an integer');
    const now = this.#now();
    let counter = this.#counters.get(key);
    if (counter !== undefined && counter.resetAt <= now) {
      this.#counters.delete(key);
      counter = undefined;
    }
    if (counter === undefined) {
      // Giving back (or reading, delta 0) never starts a window.
      if (delta <= 0) return { count: 0, resetInMs: 0 };
      while (this.#counters.size >= this.#maxEntries) this.#evictCounter(now);
      counter = { count: 0, resetAt: now + windowMs };
      this.#counters.set(key, counter);
    }
    // A give-back that arrives after its window ended must not make the next window's count negative.
    counter.count = delta < 0 ? Math.max(0, counter.count + delta) : counter.count + delta;
    return { count: counter.count, resetInMs: counter.resetAt - now };
  }

  async admit(key: string, windowMs: number, limit: number, calls = 1): Promise<number> {
    assertPositiveMs(windowMs, 'MemorySessionStore: windowMs');
    if (!(limit > 0) || !Number.isSafeInteger(calls) || calls < 1) throw new TypeError('MemorySessionStore: admit needs limit > 0 and calls >= 1');
    const now = this.#now();
    const uses = this.#slidingWindow(key, windowMs, now);
    const bound = Math.ceil(limit);
    if (uses.length >= bound) return Math.max(1, uses[uses.length - bound]! + windowMs - now);
    for (let i = 0; i < calls; i++) insertSorted(uses, now);
    return 0;
  }

  async reserve(key: string, windowMs: number, limit: number, maxWaitMs: number): Promise<number> {
    assertPositiveMs(windowMs, 'MemorySessionStore: windowMs');
    if (!(limit > 0) || !(maxWaitMs >= 0)) throw new TypeError('MemorySessionStore: reserve needs limit > 0 and maxWaitMs >= 0');
    const now = this.#now();
    const uses = this.#slidingWindow(key, windowMs, now);
    const bound = Math.ceil(limit);
    const at = uses.length < bound ? now : Math.max(now, uses[uses.length - bound]! + windowMs);
    if (at - now <= maxWaitMs) insertSorted(uses, at);
    return at - now;
  }

  /** The uses of `key` still in its window at `now` (oldest first; places handed out may lie ahead). */
  #slidingWindow(key: string, windowMs: number, now: number): number[] {
    let window = this.#windows.get(key);
    if (window === undefined) {
      // Bounded: forgetting a quota window only lets a user's calls meet Paymo's own 429.
      while (this.#windows.size >= this.#maxEntries) this.#evictOldest(this.#windows);
      this.#windows.set(key, (window = { uses: [], windowMs }));
    }
    window.windowMs = windowMs;
    const { uses } = window;
    let gone = 0;
    while (gone < uses.length && uses[gone]! <= now - windowMs) gone++;
    if (gone > 0) uses.splice(0, gone);
    return uses;
  }

  async acquireLock(key: string, ttlMs: number): Promise<string | null> {
    assertPositiveMs(ttlMs, 'MemorySessionStore: ttlMs');
    const now = this.#now();
    const held = this.#locks.get(key);
    if (held !== undefined) {
      if (held.expiresAt > now) return null;
      this.#locks.delete(key);
    }
    while (this.#locks.size >= this.#maxEntries) this.#evictOldest(this.#locks);
    const owner = crypto.randomUUID();
    this.#locks.set(key, { owner, expiresAt: now + ttlMs });
    return owner;
  }

  async releaseLock(key: string, owner: string): Promise<void> {
    if (this.#locks.get(key)?.owner === owner) this.#locks.delete(key);
  }

  /**
   * Frees every expired value, index entry, counter and lock. Runs by itself every `sweepIntervalMs`;
   * call it directly only in tests.
   */
  sweep(): void {
    const now = this.#now();
    for (const [key, entry] of this.#values) {
      if (entry.expiresAt <= now) this.#removeValue(key, entry);
    }
    for (const [key, counter] of this.#counters) {
      if (counter.resetAt <= now) this.#counters.delete(key);
    }
    for (const [key, lock] of this.#locks) {
      if (lock.expiresAt <= now) this.#locks.delete(key);
    }
    for (const [key, { uses, windowMs }] of this.#windows) {
      if ((uses.at(-1) ?? -Infinity) <= now - windowMs) this.#windows.delete(key);
    }
  }

  /** Current sizes (expired entries not yet swept count too). */
  stats(): MemorySessionStoreStats {
    let indexedKeys = 0;
    for (const members of this.#indexes.values()) indexedKeys += members.size;
    return {
      values: this.#values.size,
      indexes: this.#indexes.size,
      indexedKeys,
      counters: this.#counters.size,
      locks: this.#locks.size,
    };
  }

  /** Stops the sweep timer and drops everything. The store stays usable (without the periodic sweep). */
  async close(): Promise<void> {
    if (this.#sweepTimer !== undefined) clearInterval(this.#sweepTimer);
    this.#sweepTimer = undefined;
    this.#values.clear();
    this.#indexes.clear();
    this.#counters.clear();
    this.#windows.clear();
    this.#locks.clear();
  }

  #removeValue(key: string, entry: ValueEntry): void {
    this.#values.delete(key);
    if (entry.index === undefined) return;
    const members = this.#indexes.get(entry.index);
    if (members === undefined) return;
    members.delete(key);
    if (members.size === 0) this.#indexes.delete(entry.index);
  }

  #evictOldestValue(): void {
    for (const [key, entry] of this.#values) {
      this.#removeValue(key, entry);
      return;
    }
  }

  #evictCounter(now: number): void {
    let victim: string | undefined;
    let lowest = Infinity;
    let seen = 0;
    for (const [key, counter] of this.#counters) {
      if (counter.resetAt <= now) {
        victim = key;
        break;
      }
      if (counter.count < lowest) {
        lowest = counter.count;
        victim = key;
      }
      if (++seen >= EVICTION_SAMPLE) break;
    }
    if (victim !== undefined) this.#counters.delete(victim);
  }

  #evictOldest(map: Map<string, unknown>): void {
    for (const key of map.keys()) {
      map.delete(key);
      return;
    }
  }
}

/** Inserts `time` into ascending `times` after any equal ones (usually at the end). */
function insertSorted(times: number[], time: number): void {
  let at = times.length;
  while (at > 0 && times[at - 1]! > time) at--;
  times.splice(at, 0, time);
}
