import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Controller, Get, Inject, Module, UseGuards, type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createFakePaymo } from '@paymo/fake-api';
import type { PaymoAuth, PaymoAuthLogEvent } from '@paymo/auth-core';
import {
  PAYMO_AUTH,
  PAYMO_SERVICE_CLIENT,
  PaymoAuthGuard,
  PaymoAuthModule,
  PaymoClient,
  PaymoSession,
  PaymoUser,
  PaymoUserType,
  Public,
  type PaymoAuthModuleOptions,
} from '../index.js';

export type FakePaymo = Awaited<ReturnType<typeof createFakePaymo>>;

/** Routes of every test app: guarded by default, plus public, admin-only and Paymo-fetching ones. */
@Controller('api')
export class ApiController {
  constructor(@Inject(PAYMO_SERVICE_CLIENT) private readonly service: PaymoClient) {}

  @Get('me')
  me(@PaymoUser() user: PaymoUser, @PaymoSession() session: PaymoSession) {
    return { user, strategy: session.strategy, expiresAt: session.expiresAt };
  }

  @Get('clients')
  clients(@PaymoClient() paymo: PaymoClient) {
    return paymo.request('GET', '/clients');
  }

  @PaymoUserType('Admin')
  @Get('admin')
  admin(@PaymoUser() user: PaymoUser) {
    return { ok: true, name: user.name };
  }

  @Public()
  @Get('public')
  open(@PaymoUser() user: PaymoUser | undefined) {
    return { open: true, user: user ?? null };
  }

  @Public()
  @Get('service/me')
  async serviceMe() {
    const me = await this.service.me();
    return { id: me.id };
  }
}

/** A controller marked @Public() as a whole. */
@Public()
@Controller('open')
export class OpenController {
  @Get()
  index() {
    return { open: true };
  }
}

/** For `globalGuard: false`: one unguarded route and one with @UseGuards. */
@Controller('per-route')
export class PerRouteController {
  @Get('unguarded')
  unguarded() {
    return { guarded: false };
  }

  @UseGuards(PaymoAuthGuard)
  @Get('guarded')
  guarded(@PaymoUser() user: PaymoUser) {
    return { guarded: true, id: user.id };
  }

  @Get('misused')
  misused(@PaymoUser() user: PaymoUser) {
    return { id: user.id };
  }
}

export interface NestStackOptions {
  /** Module options, or a function of the fake (e.g. to share its clock: `now: () => fake.clock.now()`). */
  auth?: PaymoAuthModuleOptions | ((fake: FakePaymo) => PaymoAuthModuleOptions);
  globalGuard?: boolean;
  fake?: Parameters<typeof createFakePaymo>[0];
  /** Replaces the forRoot() import (e.g. a forRootAsync() one). */
  authModule?: (fake: FakePaymo, logger: (event: PaymoAuthLogEvent) => void) => DynamicModule;
  controllers?: Type[];
  /** Runs on the app before init (global prefix, ...). */
  before?: (app: INestApplication) => void;
}

export interface NestStack {
  fake: FakePaymo;
  app: INestApplication;
  server: Server;
  origin: string;
  auth: PaymoAuth;
  logs: PaymoAuthLogEvent[];
  close(): Promise<void>;
}

/** A real Nest app (Express platform) on 127.0.0.1:0 in front of a real fake Paymo API. */
export async function startNest(options: NestStackOptions = {}): Promise<NestStack> {
  // Looser than the fake's default quota (5 per 5 s) on purpose: these tests make many Paymo calls per
  // test and check other behaviour; the quota itself is tested in quota.test.ts files.
  const fake = await createFakePaymo({ rateLimit: { limit: 100, decayPeriodSeconds: 10 }, ...options.fake });
  const logs: PaymoAuthLogEvent[] = [];
  const logger = (event: PaymoAuthLogEvent) => logs.push(event);
  try {
    const extra = typeof options.auth === 'function' ? options.auth(fake) : options.auth;
    const authModule =
      options.authModule?.(fake, logger) ??
      PaymoAuthModule.forRoot({ baseUrl: fake.url, logger, ...extra, globalGuard: options.globalGuard ?? true });

    @Module({ imports: [authModule], controllers: options.controllers ?? [ApiController, OpenController] })
    class TestAppModule {}

    const moduleRef = await Test.createTestingModule({ imports: [TestAppModule] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    options.before?.(app);
    await app.listen(0, '127.0.0.1');
    const server = app.getHttpServer() as Server;
    const { port } = server.address() as AddressInfo;
    return {
      fake,
      app,
      server,
      origin: `http://127.0.0.1:${port}`,
      auth: app.get<PaymoAuth>(PAYMO_AUTH),
      logs,
      async close() {
        server.closeAllConnections();
        await app.close();
        await fake.close();
      },
    };
  } catch (error) {
    await fake.close();
    throw error;
  }
}

/** `name=value` of the session cookie a response set (the first Set-Cookie that is not a clearing one). */
export function sessionCookie(setCookie: string[] | string | undefined): string {
  const found = setCookieLines(setCookie).find((line) => !isClearing(line));
  if (!found) throw new Error('no session cookie in the response');
  return found.split(';')[0]!;
}

export function setCookieLines(setCookie: string[] | string | undefined): string[] {
  return ([] as string[]).concat(setCookie ?? []);
}

/** True when a Set-Cookie line clears its cookie. */
export function isClearing(line: string): boolean {
  return /max-age=0|expires=thu, 01 jan 1970/i.test(line);
}

/** A store that can be switched off: every call then rejects, like a Redis that went away. */
export function switchableStore<T extends object>(inner: T): { store: T; setDown(down: boolean): void } {
  let down = false;
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || prop === 'close') return value;
      return (...args: unknown[]) =>
        down
          ? Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379'))
          : (value as (...a: unknown[]) => unknown).apply(target, args);
    },
  });
  return { store, setDown: (value) => void (down = value) };
}

/** Calls the fake Paymo API directly with a token, as any Paymo client would. */
export async function paymoStatusWithToken(fake: FakePaymo, token: string): Promise<number> {
  const res = await fetch(`${fake.url}/me`, { headers: { 'X-Session': token, Accept: 'application/json' } });
  await res.arrayBuffer();
  return res.status;
}
