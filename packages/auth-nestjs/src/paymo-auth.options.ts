import type { PaymoAuthOptions } from '@paymo/auth-core';

/**
 * Options of `PaymoAuthModule.forRoot()` (and what `forRootAsync()`'s factory returns): the engine's
 * options, plus what only the Nest side knows. Every field is optional.
 */
export interface PaymoAuthModuleOptions extends PaymoAuthOptions {
  /**
   * A Paymo API key for the server's own calls, behind `PAYMO_SERVICE_CLIENT`. The client mints a Paymo
   * session from it and renews it ahead of expiry (shared through `store` when one is given).
   */
  serviceApiKey?: string;
}

/** Options that shape the module itself, given to `forRoot()` / `forRootAsync()` next to the others. */
export interface PaymoAuthModuleExtras {
  /**
   * Register `PaymoAuthGuard` as a global guard (every route needs a signed-in user unless `@Public()`).
   * Default true. With false, put `@UseGuards(PaymoAuthGuard)` on the routes that need it.
   */
  globalGuard?: boolean;
}
