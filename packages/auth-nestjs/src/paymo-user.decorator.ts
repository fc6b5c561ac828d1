import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { authenticatedStateOf, type PaymoAuthenticatedState } from './paymo-auth-state.js';

/** The signed-in Paymo user: public fields (`id`, `name`, `email`, `type`, ...) plus what Paymo sent. */
export type PaymoUser = PaymoAuthenticatedState['user'];

/**
 * The signed-in Paymo user of this request (`undefined` on a `@Public()` route).
 *
 * @example
 * ```ts
 * @Get('me')
 * me(@PaymoUser() user: PaymoUser) { return { name: user.name }; }
 * ```
 */
export const PaymoUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): PaymoUser | undefined => authenticatedStateOf(context, '@PaymoUser()')?.user,
);
