import {
  Inject,
  Module,
  RequestMethod,
  type MiddlewareConsumer,
  type NestModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_FILTER, HttpAdapterHost } from '@nestjs/core';
import type { PaymoAuth } from '@paymo/auth-core';
import type { PaymoNodeHandler } from '@paymo/auth-core/node';
import { bodyParserErrorHandler } from './body-parser-error.handler.js';
import { authRouteServer } from './express-auth-routes.js';
import { PAYMO_AUTH, PAYMO_NODE_HANDLER, PAYMO_SERVICE_CLIENT } from './paymo-auth.constants.js';
import { PaymoAuthExceptionFilter } from './paymo-auth-exception.filter.js';
import { PaymoAuthGuard } from './paymo-auth.guard.js';
import { PaymoAuthMiddleware } from './paymo-auth.middleware.js';
import { ConfigurableModuleClass } from './paymo-auth.module-definition.js';
import { engineProvider, nodeHandlerProvider, serviceClientProvider } from './paymo-auth.providers.js';
import type { NestRequest } from './paymo-auth.request.js';

/**
 * Paymo authentication for a Nest app on Express: serves the auth routes under `basePath` (default
 * `/auth`: sign-in, session, sign-out, sessions, sign-out-everywhere), guards every route (unless
 * `@Public()`, or `globalGuard: false`), and answers auth failures as `{ error: { code, message } }`.
 * Global: import it once, in the root module.
 *
 * @example
 * ```ts
 * @Module({ imports: [PaymoAuthModule.forRoot({})] })
 * export class AppModule {}
 *
 * // or from configuration:
 * PaymoAuthModule.forRootAsync({
 *   imports: [ConfigModule],
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({ baseUrl: config.get('PAYMO_API_URL') }),
 * });
 * ```
 */
@Module({
  providers: [
    engineProvider,
    nodeHandlerProvider,
    serviceClientProvider,
    PaymoAuthGuard,
    PaymoAuthMiddleware,
    { provide: APP_FILTER, useClass: PaymoAuthExceptionFilter },
  ],
  exports: [PAYMO_AUTH, PAYMO_NODE_HANDLER, PAYMO_SERVICE_CLIENT, PaymoAuthGuard],
})
export class PaymoAuthModule extends ConfigurableModuleClass implements NestModule, OnApplicationShutdown {
  constructor(
    @Inject(PAYMO_AUTH) private readonly auth: PaymoAuth,
    @Inject(PAYMO_NODE_HANDLER) private readonly handler: PaymoNodeHandler<NestRequest>,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
  ) {
    super();
  }

  configure(consumer: MiddlewareConsumer): void {
    // Runs after Nest's body parsers are registered and before any route: see bodyParserErrorHandler.
    const adapter = this.adapterHost.httpAdapter;
    if (adapter?.getType() === 'express') {
      adapter.use(bodyParserErrorHandler(this.handler));
      // Mounted at basePath (Express matches the prefix; the engine then checks the full path,
      // `originalUrl`, global prefix included), so the app's own routes never enter it.
      adapter.use(this.auth.basePath, authRouteServer(this.handler));
      return;
    }
    // Fastify: every path through Nest's middleware; the engine decides what is under basePath.
    consumer.apply(PaymoAuthMiddleware).forRoutes({ path: '*', method: RequestMethod.ALL });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.auth.close();
  }
}
