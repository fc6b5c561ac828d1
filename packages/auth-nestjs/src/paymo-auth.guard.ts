import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PaymoAuthError, type PaymoAuthState } from '@paymo/auth-core';
import type { PaymoNodeHandler } from '@paymo/auth-core/node';
import { PAYMO_NODE_HANDLER, PAYMO_PUBLIC_KEY, PAYMO_USER_TYPES_KEY } from './paymo-auth.constants.js';
import { nestRequestOf, type NestRequest, type PlatformRequest } from './paymo-auth.request.js';
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
    @Inject(PAYMO_NODE_HANDLER) private readonly handler: PaymoNodeHandler<NestRequest>,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const route = this.routeOf(context);
    if (route.isPublic) return true;

    const request = this.getRequest(context);
    // A second guard on the same request (global + @UseGuards) reuses the first verdict; most requests
    // of a signed-in user are known at once, without a promise.
    const known = (request.paymo ??= this.handler.authenticatedNow(nestRequestOf(request)));
    if (known !== undefined) return this.decide(context, route, known);
    return this.handler.authenticate(nestRequestOf(request)).then((state) => this.decide(context, route, (request.paymo ??= state)));
  }

  private decide(context: ExecutionContext, route: RouteRules, state: PaymoAuthState): boolean {
    if (!state.authenticated) {
      appendSetCookie(this.getResponse(context), state.setCookies);
      throw state.error;
    }
    const refusal = this.handler.userTypeRefusal(state.user, route.userTypes);
    if (refusal) throw refusal;
    return true;
  }

  /** What `@Public()` and `@PaymoUserType()` say of a route: read once per handler and class (metadata is fixed at start-up). */
  private routeOf(context: ExecutionContext): RouteRules {
    const handler = context.getHandler();
    const cls = context.getClass();
    const cached = this.routes.get(handler);
    if (cached?.cls === cls) return cached;
    const targets = [handler, cls];
    const rules: RouteRules = {
      cls,
      isPublic: Boolean(this.reflector.getAllAndOverride<boolean | undefined>(PAYMO_PUBLIC_KEY, targets)),
      userTypes: this.reflector.getAllAndOverride<string[] | undefined>(PAYMO_USER_TYPES_KEY, targets),
    };
    this.routes.set(handler, rules);
    return rules;
  }

  private readonly routes = new WeakMap<object, RouteRules>();

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

interface RouteRules {
  cls: object;
  isPublic: boolean;
  userTypes: string[] | undefined;
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
