import type { Provider } from '@nestjs/common';
import { PaymoAuthError, createPaymoAuth, createServiceClient, type PaymoAuth, type PaymoClient } from '@paymo/auth-core';
import { PAYMO_AUTH, PAYMO_SERVICE_CLIENT } from './paymo-auth.constants.js';
import { MODULE_OPTIONS_TOKEN } from './paymo-auth.module-definition.js';
import type { PaymoAuthModuleOptions } from './paymo-auth.options.js';

export const engineProvider: Provider = {
  provide: PAYMO_AUTH,
  inject: [MODULE_OPTIONS_TOKEN],
  useFactory: (options: PaymoAuthModuleOptions): PaymoAuth => {
    const { serviceApiKey: _serviceApiKey, ...engineOptions } = options;
    return createPaymoAuth(engineOptions);
  },
};

export const serviceClientProvider: Provider = {
  provide: PAYMO_SERVICE_CLIENT,
  inject: [MODULE_OPTIONS_TOKEN],
  useFactory: (options: PaymoAuthModuleOptions): PaymoClient =>
    options.serviceApiKey
      ? createServiceClient({
          apiKey: options.serviceApiKey,
          baseUrl: options.baseUrl, // resolved by the engine's rules: both talk to the same Paymo
          store: options.store,
          fetch: options.fetch,
          timeoutMs: options.timeoutMs,
          now: options.now,
        })
      : unconfiguredServiceClient(),
};

function unconfiguredServiceClient(): PaymoClient {
  const fail = (): Promise<never> =>
    Promise.reject(
      new PaymoAuthError('CONFIG_ERROR', 'PAYMO_SERVICE_CLIENT needs serviceApiKey in PaymoAuthModule.forRoot() options'),
    );
  return { me: fail, request: fail, requestWithMeta: fail, sessions: { create: fail, list: fail, get: fail, delete: fail } };
}
