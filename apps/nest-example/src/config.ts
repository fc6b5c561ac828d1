import { Module } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';

/** The example's settings, from environment variables with defaults that point at the fake Paymo API. */
export interface AppConfig {
  port: number;
  host: string;
  paymoApiUrl: string;
  /** Express's `trust proxy` setting (TRUST_PROXY), for running behind a TLS-terminating proxy. */
  trustProxy?: boolean | number | string;
}

/**
 * What the browser may read and write in Paymo through `/auth/paymo/<path>`, as the signed-in user:
 * the same list as the Express example's (the contract test checks both answer alike).
 */
export const paymoProxyAllowList = [
  'GET me',
  'GET projects',
  'GET projects/:id',
  'GET tasklists',
  'GET tasks',
  'GET tasks/:id',
  'GET entries',
  'POST entries',
  'DELETE entries/:id',
];

/** Injection token of {@link AppConfig}; tests override it. */
export const APP_CONFIG = 'APP_CONFIG';

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const config: AppConfig = {
    port: Number(env.PORT ?? 3001),
    host: env.HOST ?? '127.0.0.1',
    paymoApiUrl: env.PAYMO_API_URL ?? 'http://127.0.0.1:4010/api',
  };
  const trustProxy = parseTrustProxy(env.TRUST_PROXY);
  if (trustProxy !== undefined) config.trustProxy = trustProxy;
  return config;
}

/** What lives on the app rather than in a module: proxy trust (so HTTPS and client IPs are seen right). */
export function configureApp(app: NestExpressApplication, config: AppConfig): void {
  if (config.trustProxy !== undefined) app.set('trust proxy', config.trustProxy);
}

/** TRUST_PROXY as Express understands it: true/false, a hop count, or a list of addresses ("loopback"). */
function parseTrustProxy(value: string | undefined): boolean | number | string | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}

@Module({
  providers: [{ provide: APP_CONFIG, useFactory: () => configFromEnv() }],
  exports: [APP_CONFIG],
})
export class ConfigModule {}
