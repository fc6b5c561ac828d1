import { Catch, Inject, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter, HttpAdapterHost } from '@nestjs/core';
import { isPaymoAuthError, type PaymoAuth } from '@paymo/auth-core';
import { nodeRequestLike } from '@paymo/auth-core/node';
import { throwError, type Observable } from 'rxjs';
import { PAYMO_AUTH } from './paymo-auth.constants.js';
import { nodeRequestOf, type PlatformRequest } from './paymo-auth.request.js';
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
    @Inject(PAYMO_AUTH) private readonly auth: PaymoAuth,
    @Inject(HttpAdapterHost) adapterHost: HttpAdapterHost,
  ) {
    super(adapterHost.httpAdapter);
  }

  override catch(error: unknown, host: ArgumentsHost): void | Promise<void> | Observable<never> {
    // Microservice and WebSocket handlers have no HTTP response: leave the error to their own layer.
    if (host.getType() !== 'http') return throwError(() => error);
    if (!isPaymoAuthError(error)) return super.catch(error, host);
    const http = host.switchToHttp();
    // The request lets the engine offer the Basic challenge to API clients only, not to browsers.
    const request = nodeRequestLike(nodeRequestOf(http.getRequest<PlatformRequest>()));
    return writeWebResponse(http.getResponse(), this.auth.errorResponse(error, request)).catch(() => {
      // The client went away mid-answer: nothing left to tell it.
    });
  }
}
