import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PaymoAuthError, type PaymoAuthenticatedState } from '@paymo/auth-core';
import { PAYMO_PUBLIC_KEY } from './paymo-auth.constants.js';
import type { PlatformRequest } from './paymo-auth.request.js';

export type { PaymoAuthenticatedState };

/**
 * The signed-in state the guard set on this request; `undefined` on a `@Public()` route. Throws
 * `CONFIG_ERROR` when no guard ran for a route that is not public (a setup mistake).
 */
export function authenticatedStateOf(context: ExecutionContext, decorator: string): PaymoAuthenticatedState | undefined {
  const request = context.switchToHttp().getRequest<PlatformRequest>();
  const state = request.paymo;
  if (state?.authenticated) return state;
  if (isPublic(context)) return undefined;
  throw new PaymoAuthError(
    'CONFIG_ERROR',
    `PaymoAuthGuard must run before ${decorator}: keep PaymoAuthModule's global guard, or add ` +
      '@UseGuards(PaymoAuthGuard) to this route.',
  );
}

const reflector = new Reflector();

function isPublic(context: ExecutionContext): boolean {
  return Boolean(reflector.getAllAndOverride<boolean | undefined>(PAYMO_PUBLIC_KEY, [context.getHandler(), context.getClass()]));
}
