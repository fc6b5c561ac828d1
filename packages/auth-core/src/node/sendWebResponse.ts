import type { ServerResponse } from 'node:http';

/**
 * Appends Set-Cookie values to a Node response, keeping any the app already set (e.g. the cleared
 * session cookie of a failed `authenticate()`).
 *
 * @example
 * ```ts
 * if (!state.authenticated) appendSetCookies(res, state.setCookies);
 * ```
 */
export function appendSetCookies(res: ServerResponse, cookies: readonly string[]): void {
  if (cookies.length === 0) return;
  const existing = res.getHeader('set-cookie');
  const current = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
  res.setHeader('set-cookie', [...current, ...cookies]);
}

/**
 * Writes a Web `Response` to a Node response: status, headers (every Set-Cookie kept separate via
 * `headers.getSetCookie()`, merged with cookies already set on `res`), and the body.
 *
 * @example
 * ```ts
 * const response = await auth.handle(await toWebRequest(req, { maxBodyBytes: auth.maxBodyBytes }));
 * if (response) await sendWebResponse(res, response);
 * ```
 */
export async function sendWebResponse(res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie') res.setHeader(name, value);
  }
  appendSetCookies(res, response.headers.getSetCookie());
  const body = response.body === null ? null : new Uint8Array(await response.arrayBuffer());
  await new Promise<void>((resolve) => {
    if (body === null || body.byteLength === 0) res.end(resolve);
    else res.end(body, resolve);
  });
}
