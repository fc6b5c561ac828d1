import { Catch, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { PaymoAuthError, type PaymoAuth } from '@paymo/auth-core';
import { nodeRequestLike } from '@paymo/auth-core/node';
import { throwError, type Observable } from 'rxjs';
import { PAYMO_AUTH } from './paymo-auth.constants.js';
import { nodeRequestOf, type PlatformRequest } from './paymo-auth.request.js';
import { writeWebResponse } from './paymo-auth.response.js';

/**
 * Answers every `PaymoAuthError` (from the guard, the decorators, or a Paymo client call in a handler)
 * with the engine's error response: the shared `{ error: { code, message } }` body instead of Nest's
 * default, its status, `WWW-Authenticate` on 401 and `Retry-After` on 429/503. `PaymoAuthModule`
 * registers it globally; it catches nothing else.
 *
 * @example
 * ```ts
 * // Already global through PaymoAuthModule; a Paymo call failing in a handler is answered for you:
 * @Get('clients')
 * clients(@PaymoClient() paymo: PaymoClient) { return paymo.request('GET', '/clients'); } // 429 -> 429 + Retry-After
 * ```
 */
@Catch(PaymoAuthError)
export class PaymoAuthExceptionFilter implements ExceptionFilter<PaymoAuthError> {
  constructor(@Inject(PAYMO_AUTH) private readonly auth: PaymoAuth) {}

  catch(error: PaymoAuthError, host: ArgumentsHost): Promise<void> | Observable<never> {
    // Microservice and WebSocket handlers have no HTTP response: leave the error to their own layer.
    if (host.getType() !== 'http') return throwError(() => error);
    const http = host.switchToHttp();
    // The request lets the engine offer the Basic challenge to API clients only, not to browsers.
    const request = nodeRequestLike(nodeRequestOf(http.getRequest<PlatformRequest>()));
    return writeWebResponse(http.getResponse(), this.auth.errorResponse(error, request)).catch(() => {
      // The client went away mid-answer: nothing left to tell it.
    });
  }
}
