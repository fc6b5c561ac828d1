import { SetMetadata } from '@nestjs/common';
import { PAYMO_PUBLIC_KEY } from './paymo-auth.constants.js';

/**
 * Opens a route (or every route of a controller) to everyone: `PaymoAuthGuard` lets it through
 * without reading credentials, and `@PaymoUser()` there gives `undefined`.
 *
 * @example
 * ```ts
 * @Public()
 * @Get('health')
 * health() { return 'ok'; }
 * ```
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PAYMO_PUBLIC_KEY, true);
