import type { PaymoAuth } from '../engine/types.js';
import type { NodeRequest } from './nodeRequestLike.js';

/**
 * True when a Node request's path (without the query) is under the engine's `basePath`. Reads the
 * full path (`originalUrl` when a framework mounted the handler), never builds a URL: every request
 * of an app passes here, and the app's own routes must leave at once.
 *
 * @example
 * ```ts
 * if (!ownsNodeRequest(auth, req)) return next();
 * ```
 */
export function ownsNodeRequest(auth: PaymoAuth, req: NodeRequest): boolean {
  const url = req.originalUrl ?? req.url ?? '/';
  const query = url.indexOf('?');
  return auth.ownsPath(query === -1 ? url : url.slice(0, query));
}
