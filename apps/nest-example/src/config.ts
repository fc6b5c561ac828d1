import { Module } from '@nestjs/common';

/** The example's settings, from environment variables with defaults that point at the fake Paymo API. */
export interface AppConfig {
  port: number;
  host: string;
  paymoApiUrl: string;
}

/** Injection token of {@link AppConfig}; tests override it. */
export const APP_CONFIG = 'APP_CONFIG';

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return {
    port: Number(env.PORT ?? 3001),
    host: env.HOST ?? '127.0.0.1',
    paymoApiUrl: env.PAYMO_API_URL ?? 'http://127.0.0.1:4010/api',
  };
}

@Module({
  providers: [{ provide: APP_CONFIG, useFactory: () => configFromEnv() }],
  exports: [APP_CONFIG],
})
export class ConfigModule {}
