import { BadRequestException, Controller, Get, Inject } from '@nestjs/common';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { demoAccounts } from '@paymo/fake-api';
import { PAYMO_SERVICE_CLIENT, PaymoAuthModule, PaymoClient, Public } from '../index.js';
import { startNest, type NestStack } from './harness.js';

/**
 * A PaymoAuthError as another copy of @paymo/auth-core (a duplicated bundle) makes it: not an instance
 * of this copy's class, recognised by its brand only.
 */
function foreignPaymoAuthError() {
  return {
    [Symbol.for('@paymo/auth-core/PaymoAuthError')]: true,
    name: 'PaymoAuthError',
    code: 'RATE_LIMITED',
    status: 429,
    retryAfter: 12,
    message: 'Paymo is rate limiting this app',
    toJSON() {
      return { error: { code: 'RATE_LIMITED', message: 'Paymo is rate limiting this app' } };
    },
  };
}

@Public()
@Controller('throws')
class ThrowingController {
  @Get('foreign')
  foreign() {
    throw foreignPaymoAuthError();
  }

  @Get('http')
  http() {
    throw new BadRequestException('the app said no');
  }

  @Get('bug')
  bug() {
    throw new Error('a bug with internals');
  }
}

@Controller('service')
class ServiceController {
  constructor(@Inject(PAYMO_SERVICE_CLIENT) private readonly paymo: PaymoClient) {}

  @Public()
  @Get('me')
  async me() {
    return { id: (await this.paymo.me()).id };
  }
}

describe('PaymoAuthExceptionFilter', () => {
  let stack: NestStack;
  afterEach(() => stack?.close());

  it('answers a PaymoAuthError recognised by its brand alone (another bundle) in the shared shape', async () => {
    stack = await startNest({ controllers: [ThrowingController] });
    const res = await request(stack.server).get('/throws/foreign').expect(429);
    expect(res.body).toEqual({ error: { code: 'RATE_LIMITED', message: 'Paymo is rate limiting this app' } });
    expect(res.headers['retry-after']).toBe('12');
  });

  it("hands every other error to Nest's own handling, unchanged", async () => {
    stack = await startNest({ controllers: [ThrowingController] });
    const http = await request(stack.server).get('/throws/http').expect(400);
    expect(http.body).toEqual({ statusCode: 400, message: 'the app said no', error: 'Bad Request' });
    const bug = await request(stack.server).get('/throws/bug').expect(500);
    expect(bug.body).toEqual({ statusCode: 500, message: 'Internal server error' });
  });
});

describe('PAYMO_SERVICE_CLIENT base URL', () => {
  let stack: NestStack | undefined;
  const saved = process.env.PAYMO_API_URL;
  afterEach(async () => {
    if (saved === undefined) delete process.env.PAYMO_API_URL;
    else process.env.PAYMO_API_URL = saved;
    await stack?.close();
    stack = undefined;
  });

  it('follows PAYMO_API_URL exactly as the engine does when no baseUrl is given', async () => {
    stack = await startNest({
      controllers: [ServiceController],
      authModule: (fake, logger) => {
        process.env.PAYMO_API_URL = fake.url;
        return PaymoAuthModule.forRoot({ serviceApiKey: demoAccounts.admin.apiKey, logger });
      },
    });
    expect((await request(stack.server).get('/service/me').expect(200)).body).toEqual({ id: demoAccounts.admin.id });
  });

  it("treats PAYMO_API_URL='' as unset, as the engine does (it used to fail the module's start)", async () => {
    stack = await startNest({
      controllers: [ServiceController],
      authModule: (_fake, logger) => {
        process.env.PAYMO_API_URL = '';
        return PaymoAuthModule.forRoot({ serviceApiKey: demoAccounts.admin.apiKey, logger });
      },
    });
    expect(stack.auth.basePath).toBe('/auth'); // the app started; no call leaves for the real Paymo here
  });
});
