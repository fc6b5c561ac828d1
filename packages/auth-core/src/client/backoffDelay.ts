/**
 * Exponential backoff with "equal jitter": half of the doubled delay is fixed, half random, so retries
 * from many clients spread out but never collapse to zero. `attempt` counts from 0.
 */
export function backoffDelay(attempt: number, baseDelayMs: number, maxDelayMs: number, random = Math.random): number {
  const exponential = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
  return Math.round(exponential / 2 + random() * (exponential / 2));
}
