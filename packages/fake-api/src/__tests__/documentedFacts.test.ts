import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { adminKey, call, demoAccounts, useFake } from './support.js';

// Looser than Paymo's 5 per 5 s: these tests are about resource rules, not the quota.
const loose = { rateLimit: { limit: 10_000, decayPeriodSeconds: 10 } };
const run = promisify(execFile);
const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'README.md'), 'utf8');
const json = (body: unknown, method = 'POST'): RequestInit => ({ method, headers: { ...adminKey(), 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
type Rows = Record<string, Array<Record<string, unknown>>>;

describe('documented facts the fake reproduces', () => {
  const fake = useFake({ ...loose, controlPath: '/__control' });

  it('a project without client_id goes to a "Sample Client", created once (READ projects.md)', async () => {
    const first = ((await (await call(fake(), '/projects', json({ name: 'A' }))).json()) as Rows).projects![0]!;
    const second = ((await (await call(fake(), '/projects', json({ name: 'B' }))).json()) as Rows).projects![0]!;
    expect(first.client_id).toBe(second.client_id);
    const client = ((await (await call(fake(), `/clients/${String(first.client_id)}`, { headers: adminKey() })).json()) as Rows).clients![0]!;
    expect(client.name).toBe('Sample Client');
  });

  it("duration changes only on date+duration entries; a timed entry's length changes through end_time (READ entries.md)", async () => {
    expect((await call(fake(), '/entries/15200865', json({ duration: 7200 }))).status).toBe(200);
    expect((await call(fake(), '/entries/15200864', json({ duration: 7200 }))).status).toBe(400);
    const updated = await call(fake(), '/entries/15200864', json({ end_time: '2014-12-10T11:00:00Z' }));
    expect(((await updated.json()) as Rows).entries![0]).toMatchObject({ end_time: '2014-12-10T11:00:00Z' });
  });

  it("a hook's last_status_code is the target's last answer, reset on update (READ webhooks.md)", async () => {
    const target = createServer((_request, response) => {
      response.statusCode = 202;
      response.end();
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = target.address() as AddressInfo;
      const hook = ((await (await call(fake(), '/hooks', json({ target_url: `http://127.0.0.1:${port}/`, event: 'model.insert.Client' }))).json()) as Rows).hooks![0]!;
      await call(fake(), '/clients', json({ name: 'x' }));
      await fake().webhooks.settled();
      const read = ((await (await call(fake(), `/hooks/${String(hook.id)}`, { headers: adminKey() })).json()) as Rows).hooks![0]!;
      expect(read.last_status_code).toBe(202);
      const updated = ((await (await call(fake(), `/hooks/${String(hook.id)}`, json({ where: 'active=true' }, 'PUT'))).json()) as Rows).hooks![0]!;
      expect(updated.last_status_code).toBeNull();
    } finally {
      await new Promise<void>((resolve) => target.close(() => resolve()));
    }
  });

  it('current_users counts active users who are not Guests (READ users.md, company.md)', async () => {
    const count = async () => ((await (await call(fake(), '/company', { headers: adminKey() })).json()) as { company: { current_users: number } }).company.current_users;
    expect(await count()).toBe(2);
    fake().users.archive(demoAccounts.employee.id);
    expect(await count()).toBe(1);
  });

  it("the README's control-API curl commands all work as written", async () => {
    const block = /## HTTP test-control API[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const lines = block.split('\n').map((line) => line.replace(/\s+#.*$/, '').trim()).filter((line) => line.startsWith('curl'));
    expect(lines.length).toBeGreaterThanOrEqual(14);
    const dir = mkdtempSync(join(tmpdir(), 'paymo-readme-'));
    writeFileSync(join(dir, 'seed.json'), JSON.stringify({ clients: [{ id: 1, name: 'Vance Refrigeration', active: true }] }));
    for (const line of lines) {
      // A fresh token for each line that names one: reset, seed and end all end sessions.
      const token = line.includes('<token>') ? fake().sessions.create(demoAccounts.employee.id).id : '';
      const command = line.replace(/^curl /, 'curl -sS --fail-with-body ').replaceAll('$C', `${fake().origin}/__control`).replaceAll('<token>', token);
      const { stdout } = await run('sh', ['-c', command], { cwd: dir });
      expect(() => JSON.parse(stdout), line).not.toThrow();
    }
  });
});
