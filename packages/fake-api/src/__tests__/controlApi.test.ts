import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../cli.js';
import { createFakePaymo } from '../createFakePaymo.js';
import { adminKey, call, DAY_MS, demoAccounts, employeeKey, useFake } from './support.js';

// Looser than Paymo's 5 per 5 s: these tests are about the control API, not the quota.
const loose = { rateLimit: { limit: 10_000, decayPeriodSeconds: 10 } };
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('HTTP test-control API', () => {
  const fake = useFake({ ...loose, controlPath: '/__control' });
  const control = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${fake().origin}/__control${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('is off unless asked for: without controlPath the prefix is a plain 404', async () => {
    const own = await createFakePaymo();
    try {
      expect((await fetch(`${own.origin}/__control/reset`, { method: 'POST' })).status).toBe(404);
    } finally {
      await own.close();
    }
  });

  it('seed replaces the data and resets; reset restores it; a bad seed is a 400 and changes nothing', async () => {
    expect((await control('POST', '/seed', { projects: [{ id: 7, name: 'Only one', users: [1, 2], managers: [1], client_id: 1001 }], tasklists: [], tasks: [], entries: [] })).status).toBe(200);
    const projects = (await (await call(fake(), '/projects', { headers: employeeKey() })).json()) as { projects: Array<{ id: number }> };
    expect(projects.projects.map((p) => p.id)).toEqual([7]);
    await call(fake(), '/projects/7', { method: 'DELETE', headers: adminKey() });
    expect((await control('POST', '/reset')).status).toBe(200);
    expect((await call(fake(), '/projects/7', { headers: adminKey() })).status).toBe(200);
    const bad = await control('POST', '/seed', { project: [] });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/unknown part project/);
    expect((await control('POST', '/seed', { projects: [{ name: 'no id' }] })).status).toBe(400);
    for (const seed of [{ users: [{ id: 9, name: 'x' }] }, { projects: [{ id: 1, name: 'x', users: 'all' }] }, { tasks: [{ id: 1, name: 'x' }] }, { hooks: [{ id: 1, event: '*' }] }]) {
      const answer = await control('POST', '/seed', seed);
      expect(answer.status, JSON.stringify(seed)).toBe(400);
      expect(answer.body.message).toMatch(/^seed: /);
    }
    expect((await call(fake(), '/projects/7', { headers: adminKey() })).status).toBe(200);
  });

  it('clock advance moves session expiry; sessions/:id/end and users/:id/archive refuse credentials at once', async () => {
    const created = (await control('POST', '/sessions', { user_id: demoAccounts.employee.id })).body as { sessions: Array<{ id: string }> };
    const token = created.sessions[0]!.id;
    expect((await call(fake(), '/me', { headers: { 'X-Session': token } })).status).toBe(200);
    expect((await control('POST', '/clock/advance', { seconds: (32 * DAY_MS) / 1000 })).status).toBe(200);
    expect((await call(fake(), '/me', { headers: { 'X-Session': token } })).status).toBe(401);
    const second = ((await control('POST', '/sessions', { user_id: 1 })).body as { sessions: Array<{ id: string }> }).sessions[0]!.id;
    expect((await control('POST', `/sessions/${second}/end`)).status).toBe(200);
    expect((await call(fake(), '/me', { headers: { 'X-Session': second } })).status).toBe(401);
    expect((await control('POST', `/sessions/${second}/end`)).status).toBe(404);
    expect((await control('POST', `/users/${demoAccounts.employee.id}/archive`)).status).toBe(200);
    expect((await call(fake(), '/me', { headers: employeeKey() })).status).toBe(401);
    expect((await control('POST', '/users/42/archive')).status).toBe(400);
  });

  it('faults, request log and webhook deliveries; unknown commands 404 and bad bodies 400', async () => {
    expect((await control('POST', '/faults', { status: 503, times: 1, path: '/api/me' })).status).toBe(200);
    expect((await call(fake(), '/me', { headers: adminKey() })).status).toBe(503);
    expect((await call(fake(), '/me', { headers: adminKey() })).status).toBe(200);
    const log = (await control('GET', '/requests')).body.requests as Array<{ path: string; status: number }>;
    expect(log.map((entry) => entry.status)).toEqual([503, 200]);
    expect(JSON.stringify(log)).not.toContain(demoAccounts.admin.apiKey);
    expect((await control('DELETE', '/requests')).status).toBe(200);
    expect((await control('GET', '/requests')).body.requests).toEqual([]);
    expect((await control('GET', '/webhooks')).body.deliveries).toEqual([]);
    expect((await control('POST', '/nope')).status).toBe(404);
    const notJson = await fetch(`${fake().origin}/__control/clock/advance`, { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
    expect((await control('POST', '/clock/advance', { seconds: 'lots' })).status).toBe(400);
  });

  it('is not behind faults or the rate limit: a test can always reach it', async () => {
    fake().faults.inject({ status: 500 });
    fake().rateLimit.exhaust();
    expect((await control('GET', '/clock')).status).toBe(200);
    expect((await control('DELETE', '/faults')).status).toBe(200);
  });
});

describe('paymo-fake --seed, --control-path, --delete-body', () => {
  it('parseCliArgs reads a seed file and refuses an unknown part or a missing file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'paymo-seed-'));
    const good = join(dir, 'seed.json');
    writeFileSync(good, JSON.stringify({ clients: [{ id: 1, name: 'Vance Refrigeration', active: true }] }));
    expect(parseCliArgs(['--seed', good]).valueOf()).toMatchObject({ seed: { clients: [{ id: 1 }] }, controlPath: '/__control' });
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ clientz: [] }));
    expect(() => parseCliArgs(['--seed', bad])).toThrow(/unknown part clientz/);
    expect(() => parseCliArgs(['--seed', join(dir, 'missing.json')])).toThrow(/--seed/);
    expect(parseCliArgs(['--control-path', 'off'])).toMatchObject({ controlPath: false });
    expect(() => parseCliArgs(['--control-path', 'api'])).toThrow(/control-path/);
    expect(parseCliArgs(['--delete-body', 'object'])).toMatchObject({ deleteBody: 'object', deleteSessionBody: 'object' });
    expect(() => parseCliArgs(['--delete-body', 'null'])).toThrow(/delete-body/);
  });

  it('the CLI serves the seed file and answers DELETE with {} under --delete-body object', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paymo-seed-'));
    const file = join(dir, 'seed.json');
    writeFileSync(file, JSON.stringify({ clients: [{ id: 1, name: 'Vance Refrigeration', active: true }] }));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', '--port', '0', '--seed', file, '--delete-body', 'object', '--rate-limit', '1000'], { cwd: packageDir });
    try {
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /listening on (http:\/\/\S+\/api)\n/.exec(out);
          if (match && out.includes('Test control:')) resolve(match[1]!);
        });
        child.on('exit', () => reject(new Error(out)));
      });
      const clients = (await (await fetch(`${url}/clients`, { headers: adminKey() })).json()) as { clients: Array<{ name: string }> };
      expect(clients.clients.map((c) => c.name)).toEqual(['Vance Refrigeration']);
      const deleted = await fetch(`${url}/clients/1`, { method: 'DELETE', headers: adminKey() });
      expect(await deleted.json()).toEqual({});
      expect(out).toContain(`Test control: curl -X POST ${url.replace(/\/api$/, '')}/__control/reset`);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
