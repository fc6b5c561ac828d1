import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createHmac } from 'node:crypto';
import { Controller, Module, Post, UseGuards, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createFakePaymo, demoAccounts, type FakePaymo } from '@paymo/fake-api';
import { afterEach, describe, expect, it } from 'vitest';
import { PaymoAuthModule, PaymoWebhook, PaymoWebhookGuard, Public, type PaymoWebhookDelivery } from '../index.js';

const SECRET = 'nest-hook-secret';
const apiKey = { Authorization: `Basic ${Buffer.from(`${demoAccounts.admin.apiKey}:X`).toString('base64')}`, 'Content-Type': 'application/json' };
const seen: PaymoWebhookDelivery[] = [];

@Controller('webhooks')
class WebhookController {
  @Public()
  @UseGuards(new PaymoWebhookGuard({ secret: SECRET }))
  @Post('paymo')
  hook(@PaymoWebhook() delivery: PaymoWebhookDelivery) {
    seen.push(delivery);
    return { received: delivery.event };
  }
}

describe.each([
  ['rawBody: true (Nest keeps the bytes next to its JSON parser)', { rawBody: true }],
  ['bodyParser: false (the guard reads the stream)', { bodyParser: false }],
])('Nest PaymoWebhookGuard, %s', (_name, appOptions) => {
  let fake: FakePaymo | undefined;
  let app: INestApplication | undefined;
  afterEach(async () => {
    seen.length = 0;
    await app?.close();
    await fake?.close();
  });

  async function start() {
    // Looser than Paymo's 5 per 5 s: this test is about webhook signatures, not the quota.
    fake = await createFakePaymo({ rateLimit: { limit: 10_000, decayPeriodSeconds: 10 } });
    @Module({ imports: [PaymoAuthModule.forRoot({ baseUrl: fake.url })], controllers: [WebhookController] })
    class WebhookAppModule {}
    const moduleRef = await Test.createTestingModule({ imports: [WebhookAppModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false, ...appOptions });
    await app.listen(0, '127.0.0.1');
    const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
    return { fake, url: `http://127.0.0.1:${port}` };
  }

  it('a signed delivery from the fake passes and reaches the handler; a bad signature is a typed 401', async () => {
    const { fake: paymo, url } = await start();
    await fetch(`${paymo.url}/hooks`, { method: 'POST', headers: apiKey, body: JSON.stringify({ target_url: `${url}/webhooks/paymo`, event: 'model.insert.Task', secret: SECRET }) });
    await fetch(`${paymo.url}/tasks`, { method: 'POST', headers: apiKey, body: JSON.stringify({ name: 'Nest task', tasklist_id: 546 }) });
    await paymo.webhooks.settled();
    expect(paymo.webhooks.deliveries.map((delivery) => delivery.status)).toEqual([201]);
    expect(seen.map((delivery) => [delivery.event, (delivery.body as { name: string }).name])).toEqual([['model.insert.Task', 'Nest task']]);

    const body = '{"id":"1679584"}';
    const send = (signature?: string, payload = body) =>
      fetch(`${url}/webhooks/paymo`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...(signature ? { 'X-Paymo-Signature': signature } : {}) }, body: payload });
    for (const signature of [undefined, 'sha1=nope', `sha1=${createHmac('sha1', 'other').update(body).digest('hex')}`]) {
      const response = await send(signature);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: { code: 'INVALID_SIGNATURE', message: expect.any(String) } });
    }
    const good = `sha1=${createHmac('sha1', SECRET).update(body).digest('hex')}`;
    expect((await send(good, '{"id": "1679584"}')).status).toBe(401);
    expect((await send(good)).status).toBe(201);
  });

  it('100 deliveries at once all verify', async () => {
    const { fake: paymo, url } = await start();
    await fetch(`${paymo.url}/hooks`, { method: 'POST', headers: apiKey, body: JSON.stringify({ target_url: `${url}/webhooks/paymo`, event: 'model.insert.Client', secret: SECRET }) });
    await Promise.all(Array.from({ length: 100 }, (_, i) => fetch(`${paymo.url}/clients`, { method: 'POST', headers: apiKey, body: JSON.stringify({ name: `C${i}` }) })));
    await paymo.webhooks.settled();
    expect(paymo.webhooks.deliveries.filter((delivery) => delivery.status === 201)).toHaveLength(100);
    expect(seen).toHaveLength(100);
  });
});

describe('Nest PaymoWebhookGuard behind a JSON parser that kept no bytes', () => {
  it('answers CONFIG_ERROR saying why, never lets the delivery through unchecked', async () => {
    const fake = await createFakePaymo();
    @Module({ imports: [PaymoAuthModule.forRoot({ baseUrl: fake.url })], controllers: [WebhookController] })
    class DefaultParsersModule {}
    const moduleRef = await Test.createTestingModule({ imports: [DefaultParsersModule] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    try {
      await app.listen(0, '127.0.0.1');
      const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
      const body = '{"id":"1679584"}';
      const response = await fetch(`http://127.0.0.1:${port}/webhooks/paymo`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Paymo-Signature': `sha1=${createHmac('sha1', SECRET).update(body).digest('hex')}` },
        body,
      });
      expect(response.status).toBe(500);
      const answer = (await response.json()) as { error: { code: string; message: string } };
      expect(answer.error.code).toBe('CONFIG_ERROR');
      expect(answer.error.message).toMatch(/rawBody/);
      expect(seen).toHaveLength(0);
    } finally {
      await app.close();
      await fake.close();
    }
  });
});
