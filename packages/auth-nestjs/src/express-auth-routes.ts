import type { ServerResponse } from 'node:http';
import type { PaymoNodeHandler } from '@paymo/auth-core/node';
import type { NestRequest } from './paymo-auth.request.js';

type Middleware = (req: NestRequest, res: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * Nest on Express: the auth routes as a plain Express middleware, mounted at `basePath` by
 * `PaymoAuthModule`, so that only requests under it reach the engine (Nest's own middleware layer
 * would be entered, and left, by every request of the app). Nest's body parser has usually read a JSON
 * body already: the core takes its result.
 */
export function authRouteServer(handler: PaymoNodeHandler<NestRequest>): Middleware {
  return (req, res, next) => {
    handler.serve(req, res).then((answered) => answered || next(), next);
  };
}
