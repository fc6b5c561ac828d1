import { resolveRateLimit, type RateLimitOptions } from './options.js';

/** The rate-limit state of one request, as the `X-Ratelimit-*` and `Retry-After` headers report it. */
export interface RateLimitVerdict {
  limited: boolean;
  limit: number;
  remaining: number;
  decayPeriodSeconds: number;
  /** Whole seconds until the window ends (only when `limited`). */
  retryAfterSeconds?: number;
}

/**
 * Test control over the fake's rate limiter (`fake.rateLimit`).
 *
 * @example
 * fake.rateLimit.configure({ limit: 2, decayPeriodSeconds: 60 });
 * fake.rateLimit.exhaust(demoAccounts.admin.id); // Michael gets 429 until the 60 s window ends
 */
export interface RateLimitController {
  /** Changes the settings and starts every window afresh. */
  configure(options: RateLimitOptions): void;
  /** Forgets every window and forced exhaustion; keeps the settings. */
  reset(): void;
  /** Forces 429 for that user (or for every request when no id is given) until a full window has passed. */
  exhaust(userId?: number): void;
  /** The current settings. */
  readonly settings: Readonly<Required<RateLimitOptions>>;
}

interface Window {
  start: number;
  count: number;
}

/**
 * @internal A fixed-window counter per key (paymo-api.md §5: once over the limit, every request gets
 * 429 until the window ends; `Retry-After` is the seconds left).
 */
export class RateLimiter implements RateLimitController {
  private windows = new Map<string, Window>();
  private everyoneUntil = 0;
  private usersUntil = new Map<number, number>();
  private current: Required<RateLimitOptions>;

  constructor(
    private readonly now: () => number,
    private readonly initial: Required<RateLimitOptions>,
  ) {
    this.current = initial;
  }

  get settings(): Readonly<Required<RateLimitOptions>> {
    return this.current;
  }

  configure(options: RateLimitOptions): void {
    this.current = resolveRateLimit(options, this.current);
    this.reset();
  }

  /** Back to the options the fake was created with (used by `fake.reset()`). */
  restore(): void {
    this.current = this.initial;
    this.reset();
  }

  reset(): void {
    this.windows.clear();
    this.usersUntil.clear();
    this.everyoneUntil = 0;
  }

  exhaust(userId?: number): void {
    if (userId === undefined) {
      this.everyoneUntil = this.now() + this.periodMs();
    } else {
      this.usersUntil.set(userId, this.now() + this.periodMs());
    }
  }

  /** Counts one request against `key` and says whether it is over the limit (`undefined`: not limited). */
  hit(key: string | undefined, userId?: number): RateLimitVerdict {
    const now = this.now();
    const { limit, decayPeriodSeconds } = this.current;
    const base = { limit, decayPeriodSeconds };
    if (now < this.everyoneUntil) {
      return { ...base, limited: true, remaining: 0, retryAfterSeconds: secondsUntil(this.everyoneUntil, now) };
    }
    const userUntil = userId === undefined ? undefined : this.usersUntil.get(userId);
    if (userUntil !== undefined && now < userUntil) {
      return { ...base, limited: true, remaining: 0, retryAfterSeconds: secondsUntil(userUntil, now) };
    }
    if (key === undefined) return { ...base, limited: false, remaining: limit };
    let window = this.windows.get(key);
    if (!window || now >= window.start + this.periodMs() || now < window.start) {
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count++;
    if (window.count > limit) {
      return { ...base, limited: true, remaining: 0, retryAfterSeconds: secondsUntil(window.start + this.periodMs(), now) };
    }
    return { ...base, limited: false, remaining: limit - window.count };
  }

  private periodMs(): number {
    return this.current.decayPeriodSeconds * 1000;
  }
}

function secondsUntil(end: number, now: number): number {
  return Math.max(1, Math.ceil((end - now) / 1000));
}
