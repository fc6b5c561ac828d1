import type { ServerResponse } from 'node:http';
import { sendWebResponse } from '@paymo/auth-core/node';

/** Fastify's reply, as far as it is used here. */
interface FastifyLikeReply {
  header(name: string, value: string): unknown;
  status(code: number): unknown;
  send(body?: string): unknown;
}

/** Express's response (a Node `ServerResponse`) or Fastify's reply. */
export type PlatformResponse = ServerResponse | FastifyLikeReply;

function isNodeResponse(response: PlatformResponse): response is ServerResponse {
  return typeof (response as ServerResponse).writeHead === 'function';
}

/** Adds `Set-Cookie` headers without replacing the ones already set. */
export function appendSetCookie(response: PlatformResponse, cookies: readonly string[]): void {
  if (isNodeResponse(response)) {
    if (cookies.length > 0) response.appendHeader('set-cookie', [...cookies]);
    return;
  }
  for (const cookie of cookies) response.header('set-cookie', cookie); // Fastify appends set-cookie values.
}

/** Writes a Web `Response` (status, headers, body) to Express's or Fastify's response object. */
export async function writeWebResponse(response: PlatformResponse, web: Response): Promise<void> {
  if (isNodeResponse(response)) return sendWebResponse(response, web);
  response.status(web.status);
  appendSetCookie(response, web.headers.getSetCookie());
  web.headers.forEach((value, name) => {
    if (name !== 'set-cookie') response.header(name, value);
  });
  response.send(await web.text());
}
