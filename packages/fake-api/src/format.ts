/**
 * Formats a time the way Paymo writes datetimes: ISO 8601 in UTC with second precision and a `Z`
 * suffix, no milliseconds (paymo-api.md §3.2, READ).
 *
 * @example
 * formatPaymoDate(Date.UTC(2015, 0, 16, 13, 54, 41)); // '2015-01-16T13:54:41Z'
 */
export function formatPaymoDate(time: number | Date): string {
  const ms = typeof time === 'number' ? time : time.getTime();
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Parses a Paymo datetime (`2015-01-16T13:54:41Z`) to epoch milliseconds; `NaN` if it is not one.
 *
 * @example
 * parsePaymoDate('2015-01-16T13:54:41Z'); // 1421416481000
 */
export function parsePaymoDate(text: string): number {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(text) ? Date.parse(text) : Number.NaN;
}
