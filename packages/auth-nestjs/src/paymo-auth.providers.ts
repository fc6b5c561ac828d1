import type { Provider } from '@nestjs/common';
import { PaymoAuthError, createPaymoAuth, type PaymoAuth, type PaymoClient } from '@paymo/auth-core';
import { createPaymoNodeHandler, type PaymoNodeHandler } from '@paymo/auth-core/node';
import { PAYMO_AUTH, PAYMO_NODE_HANDLER, PAYMO_SERVICE_CLIENT } from './paymo-auth.constants.js';
import { MODULE_OPTIONS_TOKEN } from './paymo-auth.module-definition.js';
import type { PaymoAuthModuleOptions } from './paymo-auth.options.js';
import { nestRequestFacts, type NestRequest } from './paymo-auth.request.js';

export const engineProvider: Provider = {
  provide: PAYMO_AUTH,
  inject: [MODULE_OPTIONS_TOKEN],
  useFactory: (options: PaymoAuthModuleOptions): PaymoAuth => {
    const { serviceApiKey: _serviceApiKey, ...engineOptions } = options;
    return createPaymoAuth(engineOptions);
  },
};

export const nodeHandlerProvider: Provider = {
  provide: PAYMO_NODE_HANDLER,
  inject: [PAYMO_AUTH],
  useFactory: (auth: PaymoAuth): PaymoNodeHandler<NestRequest> => createPaymoNodeHandler(auth, nestRequestFacts),
};

export const serviceClientProvider: Provider = {
  provide: PAYMO_SERVICE_CLIENT,
  inject: [MODULE_OPTIONS_TOKEN, PAYMO_AUTH],
  // The engine's own Paymo, timeout, fetch, clock and store: resolved once, by the engine.
  useFactory: (options: PaymoAuthModuleOptions, auth: PaymoAuth): PaymoClient =>
    options.serviceApiKey ? auth.serviceClient(options.serviceApiKey) : unconfiguredServiceClient(),
};

function unconfiguredServiceClient(): PaymoClient {
  const fail = (): Promise<never> =>
    Promise.reject(
      new PaymoAuthError('CONFIG_ERROR', 'PAYMO_SERVICE_CLIENT needs serviceApiKey in PaymoAuthModule.forRoot() options'),
    );
  return { me: fail, request: fail, requestWithMeta: fail, sessions: { create: fail, list: fail, get: fail, delete: fail } };
}
