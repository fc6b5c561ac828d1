import { PaymoAuthError } from '../errors.js';

const MAX_ENTRIES = 10_000;

/**
 * Remembers, per key, that Paymo just answered 429/5xx, until its Retry-After has passed: requests in
 * that window get the same typed error without another upstream call (Paymo answers 429 to every
 * request of the window anyway). In-process and bounded; it only saves calls, it decides nothing.
 */
export class UpstreamBackoff {
  readonly #entries = new Map<string, { until: number; error: PaymoAuthError }>();

  constructor(private readonly now: () => number) {}

  /** The remembered error (with the seconds left as `retryAfter`) while its window lasts, else undefined. */
  current(key: string): PaymoAuthError | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    const left = entry.until - this.now();
    if (left <= 0) {
      this.#entries.delete(key);
      return undefined;
    }
    return new PaymoAuthError(entry.error.code, entry.error.message, { retryAfter: Math.ceil(left / 1000) });
  }

  remember(key: string, error: PaymoAuthError, seconds: number): void {
    if (this.#entries.size >= MAX_ENTRIES) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.delete(key);
    this.#entries.set(key, { until: this.now() + seconds * 1000, error });
  }

  forget(key: string): void {
    this.#entries.delete(key);
  }
}
