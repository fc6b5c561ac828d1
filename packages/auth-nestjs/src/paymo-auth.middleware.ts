import type { ServerResponse } from 'node:http';
import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { PaymoNodeHandler } from '@paymo/auth-core/node';
import { PAYMO_NODE_HANDLER } from './paymo-auth.constants.js';
import type { NestRequest } from './paymo-auth.request.js';

/**
 * Serves the auth routes (`POST {basePath}/sign-in`, `GET {basePath}/session`, ...) by handing them to
 * the engine, exactly as `@paymo/auth-express` does; every other request passes through untouched.
 * `PaymoAuthModule` applies it to all routes on Fastify (on Express it mounts the same handler at
 * `basePath` directly); you never register it yourself.
 *
 * @example
 * ```ts
 * // With a global prefix, put basePath under it:
 * PaymoAuthModule.forRoot({ basePath: '/api/auth' }); // app.setGlobalPrefix('api')
 * ```
 */
@Injectable()
export class PaymoAuthMiddleware implements NestMiddleware<NestRequest, ServerResponse> {
  constructor(@Inject(PAYMO_NODE_HANDLER) private readonly handler: PaymoNodeHandler<NestRequest>) {}

  use(req: NestRequest, res: ServerResponse, next: (error?: unknown) => void): void {
    // Every request of the app passes here: the app's own routes leave at once, without a promise.
    if (!this.handler.owns(req)) return next();
    // Nest's body parser has usually consumed a JSON body already: the core takes its result.
    this.handler.serve(req, res).then((answered) => answered || next(), next);
  }
}
