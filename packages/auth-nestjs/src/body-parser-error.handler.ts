import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PaymoAuth } from '@paymo/auth-core';
import { handleNodeRequest } from '@paymo/auth-core/node';
import { requestContextOf, type PlatformRequest } from './paymo-auth.request.js';

type ErrorHandler = (error: unknown, req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * Nest on Express parses JSON bodies before any module middleware runs, so a malformed or oversized
 * body sent to an auth route would get Nest's error body instead of the engine's. This Express error
 * handler (registered right after Nest's parsers) hands such requests to the engine, with the raw text
 * body-parser kept, so the engine answers them exactly as `@paymo/auth-express` does. Errors on other
 * paths go on unchanged.
 */
export function bodyParserErrorHandler(auth: PaymoAuth): ErrorHandler {
  // Four parameters: that is how Express recognises an error handler.
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    const rawBody = (error as { body?: unknown } | null)?.body;
    handleNodeRequest(auth, req, res, {
      context: requestContextOf(req as IncomingMessage & PlatformRequest),
      parsedBody: typeof rawBody === 'string' ? rawBody : undefined,
    }).then((answered) => answered || next(error), () => next(error));
  };
}
