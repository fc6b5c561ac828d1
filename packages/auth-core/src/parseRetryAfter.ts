/**
 * `Retry-After` in whole seconds (rounded up, never negative): either delta-seconds or an HTTP-date,
 * which is measured against the server's own `Date` when it sent one (so our clock's error cancels out).
 * A file of its own, browser-safe: the Paymo client and `paymoAuthErrorFromResponse()` share it, and
 * a browser bundle then pulls nothing else of the client's response parsing.
 */
export function parseRetryAfter(headers: Pick<Headers, 'get'>, receivedAt: number): number | undefined {
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d{1,10}$/.test(value)) return Number(value);
  // Every HTTP-date form starts with a day name; Date.parse alone would read '-3' as a year.
  if (!/^[A-Za-z]{3,9},? /.test(value)) return undefined;
  const at = Date.parse(value);
  if (!Number.isFinite(at)) return undefined;
  const serverDate = Date.parse(headers.get('date') ?? '');
  const serverNow = Number.isFinite(serverDate) ? serverDate : receivedAt;
  return Math.max(0, Math.ceil((at - serverNow) / 1000));
}
