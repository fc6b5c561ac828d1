/** `Basic base64(user:pass)` for tests (UTF-8). */
export function encodeBasic(user: string, pass: string): string {
  return `Basic ${Buffer.from(`${user}:${pass}`, 'utf8').toString('base64')}`;
}
