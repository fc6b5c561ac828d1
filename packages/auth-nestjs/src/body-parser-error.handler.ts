import type { ServerResponse } from 'node:http';
import type { PaymoNodeHandler } from '@paymo/auth-core/node';
import type { NestRequest } from './paymo-auth.request.js';

type ErrorHandler = (error: unknown, req: NestRequest, res: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * Nest on Express parses JSON bodies before any module middleware runs, so a malformed or oversized
 * body sent to an auth route would get Nest's error body instead of the engine's. This Express error
 * handler (registered right after Nest's parsers) hands body-parser errors to the core, which answers
 * those on auth routes exactly as `@paymo/auth-express` does. Anything else goes on.
 */
export function bodyParserErrorHandler(handler: PaymoNodeHandler<NestRequest>): ErrorHandler {
  // Four parameters: that is how Express recognises an error handler.
  return (error, req, res, next) => {
    handler.answerBodyParserError(error, req, res).then((answered) => answered || next(error), () => next(error));
  };
}
