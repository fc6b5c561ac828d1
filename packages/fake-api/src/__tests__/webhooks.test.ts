import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signWebhookBody } from '../webhooks.js';
import { adminKey, call, employeeKey, useFake } from './support.js';

// Looser than Paymo's 5 per 5 s: these tests are about webhooks, not the quota.
const loose = { rateLimit: { limit: 10_000, decayPeriodSeconds: 10 } };
const json = (headers: Record<string, string>, body: unknown, method = 'POST'): RequestInit => ({
  method,
  headers: { ...headers, 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

describe('webhooks: /api/hooks and signed deliveries', () => {
  const fake = useFake(loose);
  let target: Server;
  let targetUrl = '';
  let received: Received[] = [];
  let answer = 200;

  beforeEach(async () => {
    received = [];
    answer = 200;
    target = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        response.statusCode = answer;
        response.end();
      });
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const address = target.address();
    targetUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterEach(async () => {
    await new Promise<void>((resolve) => target.close(() => resolve()));
  });

  const addHook = async (body: Record<string, unknown>, headers = adminKey()) => {
    const response = await call(fake(), '/hooks', json(headers, body));
    return { response, hook: ((await response.json()) as { hooks: Array<Record<string, unknown>> }).hooks?.[0] };
  };

  it("the doc's test vector: secret 'secret', body {\"id\":\"1679584\"} signs as sha1=dc03736e…", () => {
    expect(signWebhookBody('secret', '{"id":"1679584"}')).toBe('sha1=dc03736e396e70138bf7af4ffaa2948cde42dcf1');
  });

  it('hooks CRUD: 201 + Location, the secret is never returned, POST/PUT update 200, DELETE 200; you list only your own hooks', async () => {
    const { response, hook } = await addHook({ target_url: `${targetUrl}/a`, event: 'model.insert.Task', secret: 's3cret' });
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe(`${fake().url}/hooks/${String(hook!.id)}`);
    expect(Object.keys(hook!).sort()).toEqual(['created_on', 'event', 'id', 'last_status_code', 'target_url', 'updated_on', 'where']);
    const list = await (await call(fake(), '/hooks', { headers: adminKey() })).text();
    expect(list).not.toContain('s3cret');
    expect(JSON.parse(list).hooks).toHaveLength(1);
    expect((await (await call(fake(), '/hooks', { headers: employeeKey() })).json()).hooks).toEqual([]);
    expect((await call(fake(), `/hooks/${String(hook!.id)}`, { headers: employeeKey() })).status).toBe(404);
    expect((await call(fake(), `/hooks/${String(hook!.id)}`, json(adminKey(), { event: '*.Task' }, 'PUT'))).status).toBe(200);
    expect((await call(fake(), `/hooks/${String(hook!.id)}`, { method: 'DELETE', headers: adminKey() })).status).toBe(200);
    expect((await call(fake(), '/hooks', json(adminKey(), { target_url: 'ftp://x', event: '*' }))).status).toBe(400);
    expect((await call(fake(), '/hooks', json(adminKey(), { target_url: targetUrl, event: 'model.explode.Task' }))).status).toBe(400);
    expect((await call(fake(), '/hooks', json(adminKey(), { event: '*' }))).status).toBe(400);
    expect((await call(fake(), '/hooks', json(adminKey(), { target_url: targetUrl, event: '*', where: 'name like' }))).status).toBe(400);
    expect((await call(fake(), '/hooks', json(adminKey(), { target_url: targetUrl, event: '*', where: 'project_id=1 and name like "x"' }))).status).toBe(201);
  });

  it('a change POSTs the bare object with X-Paymo-Webhook, X-Paymo-Event and a signature over the exact body bytes', async () => {
    const { hook } = await addHook({ target_url: `${targetUrl}/hook`, event: 'model.insert.Task', secret: 'secret' });
    const created = await call(fake(), '/tasks', json(adminKey(), { name: 'Signed task', tasklist_id: 546 }));
    const task = ((await created.json()) as { tasks: Array<Record<string, unknown>> }).tasks[0]!;
    await fake().webhooks.settled();
    expect(received).toHaveLength(1);
    const [delivery] = received;
    expect(delivery!.path).toBe('/hook');
    expect(delivery!.headers['content-type']).toBe('application/json');
    expect(delivery!.headers['x-paymo-webhook']).toBe(String(hook!.id));
    expect(delivery!.headers['x-paymo-event']).toBe('model.insert.Task');
    expect(JSON.parse(delivery!.body)).toEqual(task);
    const expected = `sha1=${createHmac('sha1', 'secret').update(delivery!.body).digest('hex')}`;
    expect(delivery!.headers['x-paymo-signature']).toBe(expected);
    expect(fake().webhooks.deliveries).toEqual([expect.objectContaining({ hookId: hook!.id, status: 200, signed: true })]);
    expect(JSON.stringify(fake().webhooks.deliveries)).not.toContain('"secret"');
    const after = (await (await call(fake(), `/hooks/${String(hook!.id)}`, { headers: adminKey() })).json()) as { hooks: Array<Record<string, unknown>> };
    expect(after.hooks[0]!.last_status_code).toBe(200);
  });

  it('no secret, no X-Paymo-Signature; delete events send {"id"} only; wildcards and where filter what is sent', async () => {
    await addHook({ target_url: `${targetUrl}/all-tasks`, event: '*.Task' });
    await addHook({ target_url: `${targetUrl}/deletes`, event: 'model.delete.*' });
    await addHook({ target_url: `${targetUrl}/where`, event: 'model.insert.Task', where: 'name like "urgent"' });
    const created = await call(fake(), '/tasks', json(adminKey(), { name: 'plain', tasklist_id: 546 }));
    const id = ((await created.json()) as { tasks: Array<{ id: number }> }).tasks[0]!.id;
    await call(fake(), `/tasks/${id}`, { method: 'DELETE', headers: adminKey() });
    await call(fake(), '/tasks', json(adminKey(), { name: 'urgent call', tasklist_id: 546 }));
    await fake().webhooks.settled();
    const byPath = (path: string) => received.filter((delivery) => delivery.path === path);
    expect(byPath('/all-tasks').map((d) => d.headers['x-paymo-event'])).toEqual(['model.insert.Task', 'model.delete.Task', 'model.insert.Task']);
    expect(byPath('/all-tasks').every((d) => d.headers['x-paymo-signature'] === undefined)).toBe(true);
    expect(byPath('/deletes').map((d) => d.body)).toEqual([JSON.stringify({ id })]);
    expect(byPath('/where').map((d) => JSON.parse(d.body).name)).toEqual(['urgent call']);
  });

  it("a notification fires only if the hook's creator may see the object", async () => {
    await addHook({ target_url: `${targetUrl}/dwight`, event: 'model.insert.Task' }, employeeKey());
    await call(fake(), '/tasks', json(adminKey(), { name: 'audit only', tasklist_id: 547 })); // project 28918: not Dwight's
    await call(fake(), '/tasks', json(adminKey(), { name: 'sales', tasklist_id: 546 }));
    await fake().webhooks.settled();
    expect(received.map((delivery) => JSON.parse(delivery.body).name)).toEqual(['sales']);
  });

  it('timers send model.start.Entry and model.stop.Entry', async () => {
    await addHook({ target_url: `${targetUrl}/timers`, event: '*.Entry' });
    const started = await call(fake(), '/entries', json(adminKey(), { task_id: 241184, start_time: '2015-01-01T09:00:00Z' }));
    const id = ((await started.json()) as { entries: Array<{ id: number }> }).entries[0]!.id;
    await call(fake(), `/entries/${id}`, json(adminKey(), { end_time: '2015-01-01T10:00:00Z' }));
    await fake().webhooks.settled();
    expect(received.map((d) => d.headers['x-paymo-event'])).toEqual(['model.insert.Entry', 'model.start.Entry', 'model.update.Entry', 'model.stop.Entry']);
  });

  it('a target answering 410 Gone removes the hook (READ webhooks.md)', async () => {
    const { hook } = await addHook({ target_url: `${targetUrl}/gone`, event: '*' });
    answer = 410;
    await call(fake(), '/clients', json(adminKey(), { name: 'Vance Refrigeration' }));
    await fake().webhooks.settled();
    expect(received).toHaveLength(1);
    expect(fake().webhooks.deliveries[0]).toMatchObject({ status: 410, removed: true });
    expect((await call(fake(), `/hooks/${String(hook!.id)}`, { headers: adminKey() })).status).toBe(404);
    answer = 200;
    await call(fake(), '/clients', json(adminKey(), { name: 'Another' }));
    await fake().webhooks.settled();
    expect(received).toHaveLength(1);
  });

  it('200 changes at once give 200 signed deliveries, each signature matching its own body', async () => {
    await addHook({ target_url: `${targetUrl}/many`, event: 'model.insert.Client', secret: 'k' });
    const statuses = await Promise.all(Array.from({ length: 200 }, (_, i) => call(fake(), '/clients', json(adminKey(), { name: `C${i}` })).then((r) => r.status)));
    expect(statuses.every((status) => status === 201)).toBe(true);
    await fake().webhooks.settled();
    expect(received).toHaveLength(200);
    for (const delivery of received) expect(delivery.headers['x-paymo-signature']).toBe(signWebhookBody('k', delivery.body));
    expect(new Set(received.map((delivery) => JSON.parse(delivery.body).id)).size).toBe(200);
  });
});
