import { SetMetadata } from '@nestjs/common';
import { PAYMO_USER_TYPES_KEY } from './paymo-auth.constants.js';

/**
 * Lets only signed-in Paymo users of these types through (`Admin`, `Employee`, `Guest`); others get
 * 403 `FORBIDDEN`. On a handler or a controller (the handler's wins). Needs `PaymoAuthGuard` (global by default).
 *
 * @example
 * ```ts
 * @PaymoUserType('Admin')
 * @Get('admin/report')
 * report() { ... }
 * ```
 */
export const PaymoUserType = (...types: [string, ...string[]]): MethodDecorator & ClassDecorator =>
  SetMetadata(PAYMO_USER_TYPES_KEY, types);
