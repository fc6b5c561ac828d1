import type { ServerResponse } from 'node:http';
import { PaymoAuthError } from '../errors.js';
import type { PaymoAuth, PaymoRequestContext } from '../engine/types.js';
import { handleNodeRequest } from './handleNodeRequest.js';
import { nodeRequestLike, type NodeRequest } from './nodeRequestLike.js';
import { ownsNodeRequest } from './ownsNodeRequest.js';
import { sendWebResponse } from './sendWebResponse.js';

/** The fields body-parser (used by `express.json()` and Nest) puts on its errors. */
interface BodyParserError {
  type: string;
  status: number;
  /** The raw text, on `entity.parse.failed`. It may hold a password: it must never be logged. */
  body?: unknown;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  const candidate = error as Partial<BodyParserError> | null;
  return (
    typeof candidate === 'object' && candidate !== null && typeof candidate.type === 'string' &&
    typeof candidate.status === 'number' && candidate.status >= 400 && candidate.status < 500
  );
}

/**
 * Answers a body-parser error (malformed, oversized or unreadable body) on an auth route the way the
 * engine answers a body it read itself: typed JSON 400/413/415, nothing logged. A parser that runs
 * before the auth middleware (`app.use(express.json())`, Nest's own) would otherwise hand it to the
 * framework's default error handler: an HTML page, and the error, raw body (a password) included,
 * printed. Resolves `false` (nothing written) for any other error or path: pass it on.
 *
 * @example
 * ```ts
 * app.use((error, req, res, next) => {
 *   handleBodyParserError(auth, error, req, res).then((answered) => answered || next(error), next);
 * });
 * ```
 */
export async function handleBodyParserError(
  auth: PaymoAuth,
  error: unknown,
  req: NodeRequest,
  res: ServerResponse,
  context?: PaymoRequestContext,
): Promise<boolean> {
  if (!isBodyParserError(error) || res.headersSent || !ownsNodeRequest(auth, req)) return false;
  if (error.type === 'entity.parse.failed' && typeof error.body === 'string') {
    // The engine parses the raw text itself: same route, method, CSRF and JSON checks as always.
    return handleNodeRequest(auth, req, res, { ...(context ? { context } : {}), parsedBody: error.body });
  }
  const failure =
    error.status === 413
      ? new PaymoAuthError('PAYLOAD_TOO_LARGE', `The request body is larger than ${auth.maxBodyBytes} bytes.`)
      : error.status === 415
        ? new PaymoAuthError('UNSUPPORTED_MEDIA_TYPE', 'The request body encoding or charset is not supported.')
        : new PaymoAuthError('BAD_REQUEST', 'The request body could not be read.');
  await sendWebResponse(res, auth.errorResponse(failure, nodeRequestLike(req)));
  return true;
}
