import type { PaymoRateLimit, PaymoResponseMeta } from './types.js';

function nonNegativeInteger(value: string | null): number | undefined {
  if (value === null || !/^\s*\d{1,15}\s*$/.test(value)) return undefined;
  return Number(value);
}

/** Paymo's `X-Ratelimit-*` headers; an absent or garbled header is `undefined`. */
export function parseRateLimit(headers: Headers): PaymoRateLimit {
  const rateLimit: PaymoRateLimit = {};
  const limit = nonNegativeInteger(headers.get('x-ratelimit-limit'));
  const remaining = nonNegativeInteger(headers.get('x-ratelimit-remaining'));
  const decayPeriodSeconds = nonNegativeInteger(headers.get('x-ratelimit-decay-period'));
  if (limit !== undefined) rateLimit.limit = limit;
  if (remaining !== undefined) rateLimit.remaining = remaining;
  if (decayPeriodSeconds !== undefined) rateLimit.decayPeriodSeconds = decayPeriodSeconds;
  return rateLimit;
}

/** Paymo's clock minus ours (ms) from the `Date` header, or 0 when it is absent or unparseable. */
export function parseClockSkew(headers: Headers, receivedAt: number): number {
  const date = headers.get('date');
  if (date === null) return 0;
  const serverTime = Date.parse(date);
  return Number.isFinite(serverTime) ? serverTime - receivedAt : 0;
}

/** Everything besides the body that a Paymo response tells the client. */
export function parseResponseMeta(response: Response, receivedAt: number): PaymoResponseMeta {
  return {
    status: response.status,
    rateLimit: parseRateLimit(response.headers),
    clockSkewMs: parseClockSkew(response.headers, receivedAt),
  };
}
