import type { ServerResponse } from 'node:http';
import type { PaymoAuth, PaymoRequestContext } from '../engine/types.js';
import { isUnservedMethod, methodNotAllowedResponse } from './methodNotAllowed.js';
import { nodeRequestContext } from './nodeRequestContext.js';
import { nodeRequestLike, type NodeRequest } from './nodeRequestLike.js';
import { ownsNodeRequest } from './ownsNodeRequest.js';
import { sendWebResponse } from './sendWebResponse.js';
import { toWebRequest } from './toWebRequest.js';

/** Options of {@link handleNodeRequest}. */
export interface HandleNodeRequestOptions {
  /** Client IP and HTTPS as the framework sees them (see `nodeRequestContext`). Default: the socket's. */
  context?: PaymoRequestContext;
  /** A body a parser already consumed (`req.body`). */
  parsedBody?: unknown;
}

/**
 * Serves the auth routes on a Node request: cheap path check first (`ownsNodeRequest`), a typed 405
 * for methods no auth route serves, then `toWebRequest` -> `auth.handle` -> `sendWebResponse`.
 * Resolves `true` when it answered the request, `false` when the path is not an auth route (the caller
 * carries on). Never rejects for bad input: oversized or unreadable bodies get the typed JSON error.
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
  if (!ownsNodeRequest(auth, req)) return false;
  const context = options.context ?? nodeRequestContext(req);
  let response: Response | null;
  if (isUnservedMethod(req.method ?? 'GET')) {
    const url = req.originalUrl ?? req.url ?? '/';
    response = methodNotAllowedResponse(auth, url.split('?', 1)[0]!, nodeRequestLike(req));
  } else {
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
  }
  if (response === null) return false;
  await sendWebResponse(res, response);
  return true;
}
