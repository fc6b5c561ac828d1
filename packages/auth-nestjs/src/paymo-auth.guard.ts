import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PaymoAuthError, type PaymoAuth } from '@paymo/auth-core';
import { nodeRequestLike, userTypeError } from '@paymo/auth-core/node';
import { PAYMO_AUTH, PAYMO_PUBLIC_KEY, PAYMO_USER_TYPES_KEY } from './paymo-auth.constants.js';
import { nodeRequestOf, requestContextOf, type PlatformRequest } from './paymo-auth.request.js';
import { appendSetCookie, type PlatformResponse } from './paymo-auth.response.js';

/**
 * Lets a request through only when the engine authenticates it (cookie, `X-Session` or Basic), and
 * sets its auth state for `@PaymoUser()`, `@PaymoSession()` and `@PaymoClient()`. Otherwise it throws
 * the engine's typed `PaymoAuthError` (401 with `WWW-Authenticate`, 429/503 with `Retry-After`), which
 * the module's exception filter answers as `{ error: { code, message } }`. Routes marked `@Public()`
 * pass without a look at credentials; `@PaymoUserType('Admin')` answers other users with 403.
 *
 * Global by default (`PaymoAuthModule.forRoot()`); with `{ globalGuard: false }` use it per route.
 * HTTP only: for GraphQL, extend it and override {@link PaymoAuthGuard.getRequest}.
 *
 * @example
 * ```ts
 * @UseGuards(PaymoAuthGuard)
 * @Get('me')
 * me(@PaymoUser() user: PaymoUser) { return user; }
 * ```
 */
@Injectable()
export class PaymoAuthGuard implements CanActivate {
  constructor(
    @Inject(PAYMO_AUTH) private readonly auth: PaymoAuth,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(PAYMO_PUBLIC_KEY, targets)) return true;

    const request = this.getRequest(context);
    // A second guard on the same request (global + @UseGuards) reuses the first verdict.
    const state = (request.paymo ??= await this.auth.authenticate(nodeRequestLike(nodeRequestOf(request)), requestContextOf(request)));
    if (!state.authenticated) {
      appendSetCookie(this.getResponse(context), state.setCookies);
      throw state.error;
    }

    const userTypes = this.reflector.getAllAndOverride<string[] | undefined>(PAYMO_USER_TYPES_KEY, targets);
    const refusal = userTypeError(state.user, userTypes);
    if (refusal) throw refusal;
    return true;
  }

  /** The HTTP request of this call. Override to support another context type (e.g. GraphQL's `ctx.req`). */
  protected getRequest(context: ExecutionContext): PlatformRequest {
    assertHttp(context);
    return context.switchToHttp().getRequest<PlatformRequest>();
  }

  /** The HTTP response of this call (to clear a dead session's cookie). Override along with `getRequest`. */
  protected getResponse(context: ExecutionContext): PlatformResponse {
    assertHttp(context);
    return context.switchToHttp().getResponse();
  }
}

function assertHttp(context: ExecutionContext): void {
  if (context.getType() === 'http') return;
  // Failing closed: an unknown context type must never pass as authenticated.
  throw new PaymoAuthError(
    'CONFIG_ERROR',
    `PaymoAuthGuard handles HTTP requests only, not "${context.getType()}": mark these handlers @Public(), ` +
      'or extend PaymoAuthGuard and override getRequest()/getResponse() (e.g. for GraphQL).',
  );
}
