import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { PaymoPublicSession } from '@paymo/auth-core';
import { authenticatedStateOf } from './paymo-auth-state.js';

/** The public view of the request's session (`user`, `expiresAt`, `createdAt`, `strategy`); no token in it. */
export type PaymoSession = PaymoPublicSession;

/**
 * The public session of this request (`undefined` on a `@Public()` route).
 *
 * @example
 * ```ts
 * @Get('session')
 * session(@PaymoSession() session: PaymoSession) { return { endsAt: session.expiresAt }; }
 * ```
 */
export const PaymoSession = createParamDecorator(
  (_data: unknown, context: ExecutionContext): PaymoSession | undefined =>
    authenticatedStateOf(context, '@PaymoSession()')?.session,
);
