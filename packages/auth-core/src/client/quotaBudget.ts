import type { PaymoRateLimit } from './types.js';

/**
 * What the client assumes about a user's Paymo quota until the rate-limit headers say otherwise:
 * 5 requests per 5 s (DESIGN.md section 8, reported by SDKs that run against the real API).
 */
export const ASSUMED_QUOTA = /* @__PURE__ */ Object.freeze({ limit: 5, decayPeriodSeconds: 5 });

/** Default longest time a call waits for the quota (held, or after a 429) before RATE_LIMITED. */
export const DEFAULT_QUOTA_MAX_WAIT_MS = 15_000;

/** Default time an identical GET's answer is still shared after it arrived: 0, only while in flight. */
export const DEFAULT_SHARE_GETS_FOR_MS = 0;

/**
 * How long the engine's per-user clients (`req.paymo.client`, Nest `@PaymoClient()`) keep sharing an
 * identical GET's answer after it arrived: a page's burst reaches the server spread over a few ms.
 * A write by the same user ends it.
 */
export const USER_CLIENT_SHARE_GETS_FOR_MS = 250;

interface Window {
  /** Calls sent in this window (ours, plus what Paymo's `remaining` says others spent). */
  used: number;
  limit: number;
  periodMs: number;
  /** When the window surely ended on Paymo's side; undefined until its first answer arrives. */
  endsAt: number | undefined;
  /** Calls sent and not answered yet. */
  inFlight: number;
  /** Paymo answered 429: nothing is sent before this time. */
  blockedUntil: number;
  waiters: Array<() => void>;
  timer: ReturnType<typeof setTimeout> | undefined;
  timerAt: number;
}

/**
 * @internal The per-user budget of Paymo calls, kept in this process (one per key: base URL and
 * credential). Paymo counts a fixed window that starts at a request we cannot see the start of, so
 * a window's end is taken as the first answer's arrival + the decay period (never earlier than
 * Paymo's), and each new window is opened by a single probe whose answer's `remaining` says how many
 * calls are left.
 */
export class QuotaBudget {
  private windows = new Map<string, Window>();

  constructor(private readonly now: () => number) {}

  private window(key: string): Window {
    let window = this.windows.get(key);
    if (!window) {
      window = {
        used: 0,
        limit: ASSUMED_QUOTA.limit,
        periodMs: ASSUMED_QUOTA.decayPeriodSeconds * 1000,
        endsAt: undefined,
        inFlight: 0,
        blockedUntil: 0,
        waiters: [],
        timer: undefined,
        timerAt: 0,
      };
      if (this.windows.size >= 10_000) this.prune();
      this.windows.set(key, window);
    }
    return window;
  }

  /** Starts a fresh window once the current one has surely ended. */
  private roll(window: Window, now: number): void {
    if (window.endsAt !== undefined && now >= window.endsAt) {
      window.used = 0;
      window.endsAt = undefined;
    }
  }

  /**
   * When a call may be sent: 0 now, a time in ms to wait, or `Infinity` until an answer in flight
   * says more.
   */
  private delay(window: Window, now: number): number {
    if (now < window.blockedUntil) return window.blockedUntil - now;
    this.roll(window, now);
    // A window not yet answered: one probe at a time, so its answer tells how much is left.
    if (window.endsAt === undefined) return window.inFlight === 0 && window.used < window.limit ? 0 : Infinity;
    if (window.used < window.limit) return 0;
    return window.endsAt - now;
  }

  /**
   * Waits until a call fits in the user's quota and counts it. Rejects with the wait in ms it would
   * need (a number) when that is more than `maxWaitMs`.
   */
  async acquire(key: string, maxWaitMs: number): Promise<void> {
    const window = this.window(key);
    const deadline = this.now() + maxWaitMs;
    for (;;) {
      const now = this.now();
      const wait = this.delay(window, now);
      if (wait === 0) break;
      if (wait !== Infinity && now + wait > deadline) throw new QuotaWait(wait);
      await new Promise<void>((resolve) => {
        window.waiters.push(resolve);
        this.schedule(window, wait === Infinity ? deadline - now : wait);
      });
      if (this.now() > deadline) throw new QuotaWait(Math.max(1, this.delay(window, this.now())));
    }
    window.used++;
    window.inFlight++;
  }

  /** Counts a call sent without waiting (the engine's own calls): the others of `key` see it spent. */
  take(key: string): void {
    const window = this.window(key);
    this.roll(window, this.now());
    window.used++;
    window.inFlight++;
  }

  /**
   * Counts `calls` already answered outside any client of `key` (a sign-in's, made before the user was
   * known): Paymo counted them in the user's window, so the others of `key` see them spent.
   */
  spend(key: string, calls: number): void {
    const window = this.window(key);
    const now = this.now();
    this.roll(window, now);
    window.used += calls;
    // Paymo's window holding those calls began at or before now, so it surely ends by now + period:
    // without an end, charges alone could fill a window that never rolls.
    window.endsAt ??= now + window.periodMs;
    this.wake(window);
  }

  /** The quota learnt for `key`, and how long Paymo asked to wait (429). */
  describe(key: string): { limit: number; periodMs: number; blockedForMs: number } {
    const window = this.window(key);
    return { limit: window.limit, periodMs: window.periodMs, blockedForMs: Math.max(0, window.blockedUntil - this.now()) };
  }

  /** Records an answer: its rate-limit headers, or a 429's `Retry-After` (seconds). */
  settle(key: string, rateLimit: PaymoRateLimit | undefined, receivedAt: number, retryAfterSeconds?: number): void {
    const window = this.window(key);
    window.inFlight = Math.max(0, window.inFlight - 1);
    if (rateLimit?.limit !== undefined && rateLimit.limit > 0) window.limit = rateLimit.limit;
    if (rateLimit?.decayPeriodSeconds !== undefined && rateLimit.decayPeriodSeconds > 0) window.periodMs = rateLimit.decayPeriodSeconds * 1000;
    if (retryAfterSeconds !== undefined) {
      window.blockedUntil = Math.max(window.blockedUntil, receivedAt + Math.max(1, retryAfterSeconds) * 1000);
      window.used = window.limit;
      window.endsAt = window.blockedUntil;
    } else if (rateLimit) {
      window.endsAt ??= receivedAt + window.periodMs;
      if (rateLimit.remaining !== undefined) window.used = Math.max(window.used, window.limit - rateLimit.remaining);
    }
    this.wake(window);
  }

  /** A call that got no answer (network error, timeout): Paymo may or may not have counted it. */
  abandon(key: string): void {
    const window = this.window(key);
    window.inFlight = Math.max(0, window.inFlight - 1);
    this.wake(window);
  }

  private wake(window: Window): void {
    const waiters = window.waiters;
    window.waiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Forgets windows that are over and idle (bounds memory whatever the number of users). */
  private prune(): void {
    const now = this.now();
    for (const [key, window] of this.windows) {
      if (window.inFlight === 0 && window.waiters.length === 0 && now >= window.blockedUntil && (window.endsAt ?? 0) <= now) {
        this.windows.delete(key);
      }
    }
  }

  /** Wakes the window's waiters after `ms` (keeps an earlier wake-up already set). */
  private schedule(window: Window, ms: number): void {
    const at = this.now() + Math.max(1, ms);
    if (window.timer !== undefined && window.timerAt <= at) return;
    if (window.timer !== undefined) clearTimeout(window.timer);
    window.timerAt = at;
    window.timer = setTimeout(() => {
      window.timer = undefined;
      this.wake(window);
    }, Math.max(1, ms));
    (window.timer as { unref?: () => void }).unref?.();
  }
}

/** Added to the fleet's window, so it never ends before Paymo's (which opens when the first call arrives). */
export const FLEET_WINDOW_MARGIN_MS = 500;

/** @internal What the fleet budget needs to know of a key's quota (learnt from the headers). */
export function quotaOf(budget: QuotaBudget, key: string): { limit: number; periodMs: number; blockedForMs: number } {
  return budget.describe(key);
}

/** @internal Thrown by {@link QuotaBudget.acquire}: the call would wait `ms` more than allowed. */
export class QuotaWait extends Error {
  constructor(readonly ms: number) {
    super('quota wait too long');
  }
}

/** @internal The process-wide budget every client shares unless given its own. */
export const processQuota = /* @__PURE__ */ new QuotaBudget(() => Date.now());
