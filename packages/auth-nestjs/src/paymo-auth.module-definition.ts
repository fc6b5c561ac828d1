import { ConfigurableModuleBuilder, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { PaymoAuthModuleExtras, PaymoAuthModuleOptions } from './paymo-auth.options.js';
import { PaymoAuthGuard } from './paymo-auth.guard.js';

/**
 * `MODULE_OPTIONS_TOKEN` is exported as `PAYMO_AUTH_MODULE_OPTIONS`: the options object the module was
 * configured with (after `forRootAsync()`'s factory ran).
 *
 * @example
 * ```ts
 * constructor(@Inject(PAYMO_AUTH_MODULE_OPTIONS) options: PaymoAuthModuleOptions) {}
 * ```
 */
export const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<PaymoAuthModuleOptions>({ moduleName: 'PaymoAuth' })
  .setClassMethodName('forRoot')
  .setExtras<PaymoAuthModuleExtras>({ globalGuard: true }, (definition, extras) => {
    const globalGuard: Provider[] = extras.globalGuard === false ? [] : [{ provide: APP_GUARD, useExisting: PaymoAuthGuard }];
    // Global so that @UseGuards(PaymoAuthGuard) and @Inject(PAYMO_AUTH) resolve in every module.
    return { ...definition, global: true, providers: [...(definition.providers ?? []), ...globalGuard] };
  })
  .build();
