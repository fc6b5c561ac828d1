import { Catch, Inject, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter, HttpAdapterHost } from '@nestjs/core';
import { isPaymoAuthError } from '@paymo/auth-core';
import type { PaymoNodeHandler } from '@paymo/auth-core/node';
import { throwError, type Observable } from 'rxjs';
import { PAYMO_NODE_HANDLER } from './paymo-auth.constants.js';
import { nestRequestOf, type NestRequest, type PlatformRequest } from './paymo-auth.request.js';
import { writeWebResponse } from './paymo-auth.response.js';

/**
 * Answers every `PaymoAuthError` (from the guard, the decorators, or a Paymo client call in a handler)
 * with the engine's error response: the shared `{ error: { code, message } }` body instead of Nest's
 * default, its status, `WWW-Authenticate` on 401 and `Retry-After` on 429/503. It recognises the error
 * by its brand (`isPaymoAuthError`), so an error from another copy of `@paymo/auth-core` (duplicated
 * bundles) is answered too; anything else goes to Nest's own `BaseExceptionFilter`, unchanged.
 * `PaymoAuthModule` registers it globally.
 *
 * @example
 * ```ts
 * // Already global through PaymoAuthModule; a Paymo call failing in a handler is answered for you:
 * @Get('clients')
 * clients(@PaymoClient() paymo: PaymoClient) { return paymo.request('GET', '/clients'); } // 429 -> 429 + Retry-After
 * ```
 */
@Catch()
export class PaymoAuthExceptionFilter extends BaseExceptionFilter {
  constructor(
    @Inject(PAYMO_NODE_HANDLER) private readonly handler: PaymoNodeHandler<NestRequest>,
    @Inject(HttpAdapterHost) adapterHost: HttpAdapterHost,
  ) {
    super(adapterHost.httpAdapter);
  }

  override catch(error: unknown, host: ArgumentsHost): void | Promise<void> | Observable<never> {
    // Microservice and WebSocket handlers have no HTTP response: leave the error to their own layer.
    if (host.getType() !== 'http') return throwError(() => error);
    if (!isPaymoAuthError(error)) return super.catch(error, host);
    const http = host.switchToHttp();
    const answer = this.handler.errorResponse(nestRequestOf(http.getRequest<PlatformRequest>()), error);
    return writeWebResponse(http.getResponse(), answer).catch(() => {
      // The client went away mid-answer: nothing left to tell it.
    });
  }
}
