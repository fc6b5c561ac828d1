/**
 * Throws a TypeError unless `ms` is a finite number > 0. A TTL of 0, a negative one or NaN is a
 * programming error, never "keep forever".
 */
export function assertPositiveMs(ms: number, what: string): void {
  if (typeof ms !== 'number' || !(ms > 0) || !Number.isFinite(ms)) {
    throw new TypeError(`${what} must be a finite number of milliseconds > 0, got ${String(ms)}`);
  }
}
