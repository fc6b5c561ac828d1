import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { PaymoAuth } from '@paymo/auth-core';
import { handleNodeRequest, ownsNodeRequest } from '@paymo/auth-core/node';
import { PAYMO_AUTH } from './paymo-auth.constants.js';
import { requestContextOf, type PlatformRequest } from './paymo-auth.request.js';

type MiddlewareRequest = IncomingMessage & PlatformRequest & { originalUrl?: string; body?: unknown };

/**
 * Serves the auth routes (`POST {basePath}/sign-in`, `GET {basePath}/session`, ...) by handing them to
 * the engine, exactly as `@paymo/auth-express` does; every other request passes through untouched.
 * `PaymoAuthModule` applies it to all routes; you never register it yourself.
 *
 * @example
 * ```ts
 * // With a global prefix, put basePath under it:
 * PaymoAuthModule.forRoot({ basePath: '/api/auth' }); // app.setGlobalPrefix('api')
 * ```
 */
@Injectable()
export class PaymoAuthMiddleware implements NestMiddleware<MiddlewareRequest, ServerResponse> {
  constructor(@Inject(PAYMO_AUTH) private readonly auth: PaymoAuth) {}

  use(req: MiddlewareRequest, res: ServerResponse, next: (error?: unknown) => void): void {
    // Every request of the app passes here: the app's own routes leave at once, without a promise or
    // Express's req.ip/req.secure getters. (Nest's app.use(path) strips the mount path from req.url.)
    if (!ownsNodeRequest(this.auth, req)) return next();
    // Nest's body parser has usually consumed a JSON body already: the parsed value stands in for it.
    handleNodeRequest(this.auth, req, res, { context: requestContextOf(req), parsedBody: req.body }).then(
      (answered) => answered || next(),
      next,
    );
  }
}
