// The benchmark's Nest app, in its own process so the load generator does not share its core.
// Runs the BUILT package (dist/, with its decorator metadata) as an app would. Prints nothing; tells
// the parent its URL over IPC and stops on a 'stop' message. Loopback only.
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createFakePaymo } from '@paymo/fake-api';
import { PaymoAuthModule, PaymoUser, Public } from '@paymo/auth-nestjs';

// Plain JS has no decorator syntax: apply them by hand. Both handlers do the same work.
class BenchController {
  guarded(user) {
    return { id: user.id, name: user.name };
  }
  open() {
    return { id: 1, name: 'Michael Scott' };
  }
}
const method = (name) => Object.getOwnPropertyDescriptor(BenchController.prototype, name);
Controller('api')(BenchController);
PaymoUser()(BenchController.prototype, 'guarded', 0);
Get('guarded')(BenchController.prototype, 'guarded', method('guarded'));
Public()(BenchController.prototype, 'open', method('open'));
Get('open')(BenchController.prototype, 'open', method('open'));

// Only the sign-in talks to the fake; with the default 60 s revalidation bound the measured requests
// (a few seconds each) almost never do.
// Looser than the fake's default quota (5 per 5 s) on purpose: these tests make many Paymo calls per
// test and check other behaviour; the quota itself is tested in quota.test.ts files.
const fake = await createFakePaymo({ rateLimit: { limit: 100, decayPeriodSeconds: 10 } });
class BenchModule {}
Module({ imports: [PaymoAuthModule.forRoot({ baseUrl: fake.url })], controllers: [BenchController] })(BenchModule);

const app = await NestFactory.create(BenchModule, { logger: false });
await app.listen(0, '127.0.0.1');
process.send({ url: await app.getUrl() });
process.on('message', async (message) => {
  // CPU time is what the guard costs; unlike requests/s it hardly moves when other processes share the cores.
  if (message === 'cpu') return process.send({ cpu: process.cpuUsage() });
  if (message !== 'stop') return;
  await app.close();
  await fake.close();
  process.exit(0);
});
