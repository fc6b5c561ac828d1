import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PaymoAuth } from '@paymo/auth-core';
import { handleBodyParserError } from '@paymo/auth-core/node';
import { requestContextOf, type PlatformRequest } from './paymo-auth.request.js';

type ErrorHandler = (error: unknown, req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * Nest on Express parses JSON bodies before any module middleware runs, so a malformed or oversized
 * body sent to an auth route would get Nest's error body instead of the engine's. This Express error
 * handler (registered right after Nest's parsers) hands body-parser errors on auth routes to the core's
 * `handleBodyParserError`, which answers them exactly as `@paymo/auth-express` does. Anything else goes on.
 */
export function bodyParserErrorHandler(auth: PaymoAuth): ErrorHandler {
  // Four parameters: that is how Express recognises an error handler.
  return (error, req, res, next) => {
    handleBodyParserError(auth, error, req, res, requestContextOf(req as IncomingMessage & PlatformRequest)).then(
      (answered) => answered || next(error),
      () => next(error),
    );
  };
}
