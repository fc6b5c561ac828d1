import type { ServerResponse } from 'node:http';
import type { PaymoAuth, PaymoRequestContext } from '../engine/types.js';
import { isEncrypted, nodeRequestLike, type NodeRequest } from './nodeRequestLike.js';
import { sendWebResponse } from './sendWebResponse.js';
import { toWebRequest } from './toWebRequest.js';

/** Options of {@link handleNodeRequest}. */
export interface HandleNodeRequestOptions {
  /** Client IP and HTTPS as the framework sees them. Default: the socket's address and TLS (no proxy trust). */
  context?: PaymoRequestContext;
  /** A body a parser already consumed (`req.body`). */
  parsedBody?: unknown;
}

/** The socket's view of a request: peer address and TLS. Right only when no proxy sits in front. */
export function nodeRequestContext(req: NodeRequest): PaymoRequestContext {
  const context: PaymoRequestContext = { secure: isEncrypted(req) };
  const ip = req.socket?.remoteAddress;
  if (ip) context.clientIp = ip;
  return context;
}

/**
 * Serves the auth routes on a Node request: cheap path check first (`auth.ownsPath`), then
 * `toWebRequest` -> `auth.handle` -> `sendWebResponse`. Resolves `true` when it answered the request,
 * `false` when the path is not an auth route (the caller carries on). Never rejects for bad input:
 * oversized or unreadable bodies are answered with the typed JSON error.
 *
 * @example
 * ```ts
 * createServer(async (req, res) => {
 *   if (await handleNodeRequest(auth, req, res)) return;
 *   // ... the app's own routes
 * });
 * ```
 */
export async function handleNodeRequest(
  auth: PaymoAuth,
  req: NodeRequest,
  res: ServerResponse,
  options: HandleNodeRequestOptions = {},
): Promise<boolean> {
  const url = req.originalUrl ?? req.url ?? '/';
  const query = url.indexOf('?');
  if (!auth.ownsPath(query === -1 ? url : url.slice(0, query))) return false;
  const context = options.context ?? nodeRequestContext(req);
  let response: Response | null;
  try {
    const request = await toWebRequest(req, {
      maxBodyBytes: auth.maxBodyBytes,
      ...(context.secure === undefined ? {} : { secure: context.secure }),
      parsedBody: options.parsedBody,
    });
    response = await auth.handle(request, context);
  } catch (error) {
    response = auth.errorResponse(error, nodeRequestLike(req));
  }
  if (response === null) return false;
  await sendWebResponse(res, response);
  return true;
}
