// The Nest benchmark server, on the BUILT @paymo/auth-nestjs, in its own process. Same IPC protocol as
// express.mjs. Usage: node bench/servers/nest.mjs <nest|nest-bare>
// - nest: GET /api/me behind the global PaymoAuthGuard (cookie session, memory store);
// - nest-bare: the same route and answer without PaymoAuthModule (the Nest baseline).
// Env: PAYMO_API_URL (the fake).
import 'reflect-metadata';
import { Controller, Get, Module, Req } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { PaymoAuthModule, PaymoUser } from '@paymo/auth-nestjs';
import { setupServer } from './serverHarness.mjs';

const variant = process.argv[2] ?? 'nest';
const guarded = variant === 'nest';

// Plain JS has no decorator syntax: apply them by hand. Every variant reads its answer through a
// parameter decorator (Nest's param pipeline costs the same either way): @PaymoUser() behind the
// guard, @Req() without it, so the rows differ by the guard and nothing else.
class MeController {
  me(user) {
    return guarded ? { id: user.id, name: user.name } : { id: 1, name: 'Michael Scott' };
  }
}
Controller('api')(MeController);
(guarded ? PaymoUser() : Req())(MeController.prototype, 'me', 0);
Get('me')(MeController.prototype, 'me', Object.getOwnPropertyDescriptor(MeController.prototype, 'me'));

class BenchModule {}
class TrueGuard {
  canActivate() {
    return true;
  }
}
Module({
  imports: guarded ? [PaymoAuthModule.forRoot({ baseUrl: process.env.PAYMO_API_URL })] : [],
  controllers: [MeController],
  providers: variant === 'nest-true-guard' ? [{ provide: APP_GUARD, useClass: TrueGuard }] : [],
})(BenchModule);

const app = await NestFactory.create(BenchModule, { logger: false });
await app.listen(0, '127.0.0.1');
setupServer({ url: (await app.getUrl()).replace('[::1]', '127.0.0.1'), close: () => app.close() });
