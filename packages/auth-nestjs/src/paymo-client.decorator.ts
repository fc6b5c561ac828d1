import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { PaymoClient as CorePaymoClient } from '@paymo/auth-core';
import { authenticatedStateOf } from './paymo-auth-state.js';

/** A Paymo API client (`me()`, `sessions`, `request()`); see `@paymo/auth-core`. */
export type PaymoClient = CorePaymoClient;

/**
 * A Paymo client acting as the signed-in user (their token or pass-through credential), for calls to
 * Paymo on their behalf (`undefined` on a `@Public()` route). Its failures are typed `PaymoAuthError`s,
 * which the module answers as `{ error: { code, message } }` (e.g. 429 with `Retry-After`).
 *
 * @example
 * ```ts
 * @Get('clients')
 * clients(@PaymoClient() paymo: PaymoClient) { return paymo.request('GET', '/clients'); }
 * ```
 */
export const PaymoClient = createParamDecorator(
  (_data: unknown, context: ExecutionContext): PaymoClient | undefined => authenticatedStateOf(context, '@PaymoClient()')?.client,
);
