import { Module } from '@nestjs/common';
import { PaymoAuthModule } from '@paymo/auth-nestjs';
import { AppController } from './app.controller.js';
import { APP_CONFIG, ConfigModule, paymoProxyAllowList, type AppConfig } from './config.js';

@Module({
  imports: [
    ConfigModule,
    PaymoAuthModule.forRootAsync({
      imports: [ConfigModule],
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ baseUrl: config.paymoApiUrl, proxy: { allow: paymoProxyAllowList } }),
    }),
  ],
  controllers: [AppController],
})
export class AppModule {}
