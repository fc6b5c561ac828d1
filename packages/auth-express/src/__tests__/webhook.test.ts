import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import express from 'express';
import express4 from 'express4';
import { createFakePaymo, demoAccounts, type FakePaymo } from '@paymo/fake-api';
import { afterEach, describe, expect, it } from 'vitest';
import { mountPaymoWebhook, paymoWebhook } from '../index.js';

const SECRET = 'express-hook-secret';
const apiKey = { Authorization: `Basic ${Buffer.from(`${demoAccounts.admin.apiKey}:X`).toString('base64')}`, 'Content-Type': 'application/json' };

interface Seen {
  event: string;
  hookId: string;
  body: unknown;
}

async function listen(app: express.Express): Promise<{ server: Server; url: string }> {
  const server = await new Promise<Server>((resolve) => {
    const started = app.listen(0, '127.0.0.1', () => resolve(started));
  });
  const address = server.address();
  return { server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
}

describe.each([
  ['Express 5', express as unknown as typeof express],
  ['Express 4', express4 as unknown as typeof express],
])('%s: webhook route helpers', (_name, framework) => {
  let fake: FakePaymo | undefined;
  let server: Server | undefined;
  afterEach(async () => {
    await fake?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  async function setUp(register: (app: express.Express, seen: Seen[]) => void) {
    const seen: Seen[] = [];
    const app = framework();
    register(app, seen);
    const started = await listen(app);
    server = started.server;
    // Looser than Paymo's 5 per 5 s: this test is about webhook signatures, not the quota.
    fake = await createFakePaymo({ rateLimit: { limit: 10_000, decayPeriodSeconds: 10 } });
    return { seen, url: started.url, fake };
  }
  const record = (seen: Seen[]) => (req: express.Request, res: express.Response) => {
    seen.push({ event: req.paymoWebhook!.event, hookId: req.paymoWebhook!.hookId, body: req.paymoWebhook!.body });
    res.sendStatus(200);
  };

  it('mountPaymoWebhook verifies deliveries from the fake even behind express.json() and urlencoded()', async () => {
    const { seen, url, fake: paymo } = await setUp((app, seen) => {
      app.use(framework.json());
      app.use(framework.urlencoded({ extended: false }));
      mountPaymoWebhook(app, '/webhooks/paymo', { secret: SECRET }, record(seen));
      app.post('/other', (req, res) => res.json({ parsed: req.body as unknown }));
    });
    const hook = await fetch(`${paymo.url}/hooks`, { method: 'POST', headers: apiKey, body: JSON.stringify({ target_url: `${url}/webhooks/paymo`, event: '*.Task', secret: SECRET }) });
    const hookId = ((await hook.json()) as { hooks: Array<{ id: number }> }).hooks[0]!.id;
    const created = await fetch(`${paymo.url}/tasks`, { method: 'POST', headers: apiKey, body: JSON.stringify({ name: 'From the fake', tasklist_id: 546 }) });
    const task = ((await created.json()) as { tasks: Array<{ id: number }> }).tasks[0]!;
    await paymo.webhooks.settled();
    expect(paymo.webhooks.deliveries.map((delivery) => delivery.status)).toEqual([200]);
    expect(seen).toEqual([{ event: 'model.insert.Task', hookId: String(hookId), body: expect.objectContaining({ id: task.id, name: 'From the fake' }) }]);
    // The app's parsers still work for its other routes.
    expect(await (await fetch(`${url}/other`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"a":1}' })).json()).toEqual({ parsed: { a: 1 } });
  });

  it('a wrong, missing or malformed signature is a typed 401; a tampered body too', async () => {
    const { url, seen } = await setUp((app, seen) => {
      app.use(framework.json());
      mountPaymoWebhook(app, '/hook', { secret: SECRET }, record(seen));
    });
    const body = '{"id":"1679584"}';
    const good = `sha1=${createHmac('sha1', SECRET).update(body).digest('hex')}`;
    const send = (signature: string | undefined, payload = body) =>
      fetch(`${url}/hook`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...(signature ? { 'X-Paymo-Signature': signature } : {}) }, body: payload });
    for (const signature of [undefined, 'sha1=', 'sha1=zz', `sha256=${good.slice(5)}`, `sha1=${'0'.repeat(40)}`, good.toUpperCase()]) {
      const response = await send(signature);
      expect(response.status, String(signature)).toBe(401);
      expect(await response.json()).toEqual({ error: { code: 'INVALID_SIGNATURE', message: expect.any(String) } });
    }
    expect((await send(good, '{"id":1679584}')).status).toBe(401);
    expect((await send(good)).status).toBe(200);
    expect(seen).toHaveLength(1);
  });

  it('paymoWebhook() behind express.raw() uses the bytes the parser kept; 200 deliveries at once all verify', async () => {
    const { url, seen, fake: paymo } = await setUp((app, seen) => {
      app.post('/raw', framework.raw({ type: '*/*' }), paymoWebhook({ secret: SECRET }), record(seen));
    });
    await fetch(`${paymo.url}/hooks`, { method: 'POST', headers: apiKey, body: JSON.stringify({ target_url: `${url}/raw`, event: 'model.insert.Client', secret: SECRET }) });
    await Promise.all(Array.from({ length: 200 }, (_, i) => fetch(`${paymo.url}/clients`, { method: 'POST', headers: apiKey, body: JSON.stringify({ name: `C${i}` }) })));
    await paymo.webhooks.settled();
    expect(paymo.webhooks.deliveries.filter((delivery) => delivery.status === 200)).toHaveLength(200);
    expect(seen).toHaveLength(200);
  });

  it('paymoWebhook() after a JSON parser that kept no bytes fails with CONFIG_ERROR, not a silent pass', async () => {
    const errors: unknown[] = [];
    const { url } = await setUp((app) => {
      app.use(framework.json());
      app.post('/late', paymoWebhook({ secret: SECRET }), (_req, res) => res.sendStatus(200));
      app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
        errors.push(error);
        res.status(500).json({ error: { code: (error as { code?: string }).code } });
      });
    });
    const response = await fetch(`${url}/late`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Paymo-Signature': 'sha1=00' }, body: '{}' });
    expect(await response.json()).toEqual({ error: { code: 'CONFIG_ERROR' } });
    expect(errors).toHaveLength(1);
    expect(() => paymoWebhook({ secret: '' })).toThrow(/secret/);
  });
});
