import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Module } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import type { StartAbuseApp } from '../../../auth-core/src/__tests__/abuse/abuseScenarios.js';
import { PaymoAuthModule } from '../index.js';
import { ApiController } from './harness.js';

/** A real Nest app (Express platform, Nest's own body parser) for the shared scenario suites of auth-core's tests. */
export const startScenarioApp: StartAbuseApp = async (_fake, auth) => {
  @Module({ imports: [PaymoAuthModule.forRoot({ ...auth, globalGuard: true })], controllers: [ApiController] })
  class AbuseAppModule {}
  const moduleRef = await Test.createTestingModule({ imports: [AbuseAppModule] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false });
  app.set('trust proxy', 'loopback');
  await app.listen(0, '127.0.0.1');
  const server = app.getHttpServer() as Server;
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    async close() {
      server.closeAllConnections();
      await app.close();
    },
  };
};
