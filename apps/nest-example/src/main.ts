import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { configFromEnv } from './config.js';

const config = configFromEnv();
const app = await NestFactory.create(AppModule);
app.enableShutdownHooks();
await app.listen(config.port, config.host);
console.log(`Nest example on http://${config.host}:${config.port} (Paymo API ${config.paymoApiUrl})`);
