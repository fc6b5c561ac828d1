// The Nest benchmark server: GET /api/me behind the global PaymoAuthGuard (cookie session, memory
// store), on the BUILT @paymo/auth-nestjs, in its own process. Same IPC protocol as express.mjs.
// Env: PAYMO_API_URL (the fake).
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { PaymoAuthModule, PaymoUser } from '@paymo/auth-nestjs';
import { setupServer } from './serverHarness.mjs';

// Plain JS has no decorator syntax: apply them by hand.
class MeController {
  me(user) {
    return { id: user.id, name: user.name };
  }
}
Controller('api')(MeController);
PaymoUser()(MeController.prototype, 'me', 0);
Get('me')(MeController.prototype, 'me', Object.getOwnPropertyDescriptor(MeController.prototype, 'me'));

class BenchModule {}
Module({ imports: [PaymoAuthModule.forRoot({ baseUrl: process.env.PAYMO_API_URL })], controllers: [MeController] })(BenchModule);

const app = await NestFactory.create(BenchModule, { logger: false });
await app.listen(0, '127.0.0.1');
setupServer({ url: (await app.getUrl()).replace('[::1]', '127.0.0.1'), close: () => app.close() });
