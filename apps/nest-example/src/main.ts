import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { APP_CONFIG, configureApp, type AppConfig } from './config.js';

// Only listens; the app itself is AppModule (tests build the same one).
const app = await NestFactory.create<NestExpressApplication>(AppModule);
const config = app.get<AppConfig>(APP_CONFIG);
configureApp(app, config);
app.enableShutdownHooks();
await app.listen(config.port, config.host);
console.log(`Nest example on http://${config.host}:${config.port} (Paymo API ${config.paymoApiUrl})`);
