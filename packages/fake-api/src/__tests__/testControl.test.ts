import { request as httpRequest, Agent } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createFakePaymo } from '../createFakePaymo.js';
import { adminKey, adminPassword, call, createSession, DAY_MS, demoAccounts, employeeKey, useFake } from './support.js';

describe('test-control API', () => {
  const fake = useFake();

  it('the Date header comes from the fake clock', async () => {
    fake().clock.set(new Date('2015-01-16T13:54:41Z'));
    const response = await call(fake(), '/me', { headers: adminKey() });
    const date = Date.parse(response.headers.get('date') ?? '');
    expect(date).toBeGreaterThanOrEqual(Date.parse('2015-01-16T13:54:41Z'));
    expect(date).toBeLessThan(Date.parse('2015-01-16T13:55:41Z'));
    fake().clock.advance(DAY_MS);
    const later = await call(fake(), '/nope');
    expect(new Date(later.headers.get('date') ?? '').toISOString().slice(0, 10)).toBe('2015-01-17');
  });

  it('the clock runs with real time by default; freeze() stops it, unfreeze() lets it run again', async () => {
    const clock = fake().clock;
    expect(clock.frozen).toBe(false);
    expect(Math.abs(clock.now() - Date.now())).toBeLessThan(60_000);
    clock.freeze();
    const frozenAt = clock.now();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(clock.now()).toBe(frozenAt);
    clock.advance(5_000);
    expect(clock.now()).toBe(frozenAt + 5_000);
    clock.unfreeze();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(clock.now()).toBeGreaterThan(frozenAt + 5_000);
    clock.set(0);
    clock.reset();
    expect(Math.abs(clock.now() - Date.now())).toBeLessThan(60_000);
  });

  it('the request log records method, path, query, status, auth and user, never a credential', async () => {
    const { token } = await createSession(fake(), adminPassword());
    await call(fake(), '/users?where=active%3Dtrue', { headers: { 'X-Session': token } });
    await call(fake(), '/me');
    await call(fake(), '/me', { headers: employeeKey() });
    const log = fake().requests;
    expect(log.map(({ at: _at, ...entry }) => entry)).toEqual([
      { method: 'POST', path: '/api/sessions', query: '', status: 201, auth: 'basic', userId: 1 },
      { method: 'GET', path: '/api/users', query: 'where=active%3Dtrue', status: 200, auth: 'session', userId: 1 },
      { method: 'GET', path: '/api/me', query: '', status: 401, auth: 'none', reason: 'missing_credentials' },
      { method: 'GET', path: '/api/me', query: '', status: 200, auth: 'apiKey', userId: 2 },
    ]);
    const text = JSON.stringify(log);
    for (const secret of [demoAccounts.admin.password, demoAccounts.employee.apiKey, token]) expect(text).not.toContain(secret);
  });

  it('countRequests() by method and path; resetRequests() empties the log', async () => {
    await createSession(fake(), adminPassword());
    await call(fake(), '/sessions', { headers: adminKey() });
    await call(fake(), '/me', { headers: adminKey() });
    expect(fake().countRequests({ method: 'POST', path: '/api/sessions' })).toBe(1);
    expect(fake().countRequests({ method: 'post', path: '/sessions' })).toBe(1);
    expect(fake().countRequests({ path: '/api/sessions' })).toBe(2);
    expect(fake().countRequests({ path: /^\/api\/(me|sessions)$/ })).toBe(3);
    expect(fake().countRequests()).toBe(3);
    fake().resetRequests();
    expect(fake().countRequests()).toBe(0);
    expect(fake().requests).toEqual([]);
  });

  it('requests is a snapshot: changing it does not change the log', async () => {
    await call(fake(), '/me', { headers: adminKey() });
    const snapshot = fake().requests as unknown as Array<{ status: number }>;
    snapshot[0]!.status = 999;
    snapshot.pop();
    expect(fake().requests).toHaveLength(1);
    expect(fake().requests[0]?.status).toBe(200);
  });

  it('reset() restores seed data, sessions, clock, rate limits, faults and the log', async () => {
    await createSession(fake(), adminPassword());
    fake().users.archive(demoAccounts.employee.id);
    fake().rateLimit.configure({ limit: 1 });
    fake().rateLimit.exhaust();
    fake().faults.inject({ status: 500 });
    fake().clock.advance(100 * DAY_MS);
    fake().reset();
    expect(fake().sessions.list()).toEqual([]);
    expect(fake().users.get(demoAccounts.employee.id)?.active).toBe(true);
    expect(fake().faults.active).toEqual([]);
    expect(fake().rateLimit.settings.limit).toBe(5);
    expect(fake().requests).toEqual([]);
    expect(Math.abs(fake().clock.now() - Date.now())).toBeLessThan(60_000);
    expect((await call(fake(), '/me', { headers: employeeKey() })).status).toBe(200);
  });

  it('users.get/list return public objects; archive/activate of an unknown id throws', () => {
    expect(fake().users.get(1)).toMatchObject({ id: 1, name: 'Michael Scott' });
    expect(fake().users.get(1)).not.toHaveProperty('password');
    expect(fake().users.get(42)).toBeUndefined();
    expect(fake().users.list().map((user) => user.id)).toEqual([1, 2, 3, 4]);
    expect(() => fake().users.archive(42)).toThrow(/42/);
  });

  it('sessions.list(userId) and sessions.get(id) see expired sessions too', async () => {
    const a = (await createSession(fake(), adminPassword())).token;
    const e = fake().sessions.create(demoAccounts.employee.id).id;
    fake().clock.advance(40 * DAY_MS);
    expect(fake().sessions.list().map((session) => session.id)).toEqual([a, e]);
    expect(fake().sessions.list(demoAccounts.employee.id).map((session) => session.id)).toEqual([e]);
    expect(fake().sessions.get(a)?.user_id).toBe(1);
  });

  it('close() destroys keep-alive connections and is safe to call twice', async () => {
    const own = await createFakePaymo();
    const agent = new Agent({ keepAlive: true });
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${own.url}/me`, { agent, headers: adminKey() }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(200);
    const sockets = Object.values(agent.freeSockets).flat();
    expect(sockets).toHaveLength(1);
    const closedSocket = new Promise<void>((resolve) => sockets[0]!.once('close', () => resolve()));
    await Promise.all([own.close(), own.close()]);
    await closedSocket;
    await expect(fetch(`${own.url}/me`)).rejects.toThrow();
    agent.destroy();
  });

  it('log: one line per request, session tokens shortened, no credentials', async () => {
    const lines: string[] = [];
    const logged = await createFakePaymo({ log: (line) => lines.push(line) });
    try {
      const { token } = await createSession(logged, adminPassword());
      await call(logged, `/sessions/${token}`, { method: 'DELETE', headers: { 'X-Session': token } });
      await call(logged, '/me', { headers: { 'X-Session': token } });
      expect(lines).toHaveLength(3);
      expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ POST \/api\/sessions 201 basic user=1$/);
      expect(lines[1]).toContain(`DELETE /api/sessions/${token.slice(0, 4)}… 200 session user=1`);
      expect(lines[2]).toContain('GET /api/me 401 session ended_session');
      expect(lines.join('\n')).not.toContain(token);
      expect(lines.join('\n')).not.toContain(demoAccounts.admin.password);
    } finally {
      await logged.close();
    }
  });

  it('startTime, frozenClock and seed options', async () => {
    const own = await createFakePaymo({
      startTime: new Date('2015-01-07T10:03:33Z'),
      frozenClock: true,
      seed: {
        company: { id: 7, name: 'Vance Refrigeration' },
        clients: [],
        sessions: [{ id: '9762c607ec2b5d9e13c423cbafeb7ec8', user_id: 1, ip: '10.0.2.2' }],
      },
    });
    try {
      expect(own.clock.now()).toBe(Date.parse('2015-01-07T10:03:33Z'));
      const me = await call(own, '/sessions/9762c607ec2b5d9e13c423cbafeb7ec8', { headers: { 'X-Session': '9762c607ec2b5d9e13c423cbafeb7ec8' } });
      expect(await me.json()).toEqual({
        sessions: [
          { id: '9762c607ec2b5d9e13c423cbafeb7ec8', ip: '10.0.2.2', expires_on: '2015-02-07T10:03:33Z', created_on: '2015-01-07T10:03:33Z', updated_on: '2015-01-07T10:03:33Z', user_id: 1 },
        ],
      });
      expect(await (await call(own, '/company', { headers: adminKey() })).json()).toEqual({ company: { id: 7, name: 'Vance Refrigeration' } });
      expect(await (await call(own, '/clients', { headers: adminKey() })).json()).toEqual({ clients: [] });
      expect((await call(own, '/me', { headers: adminKey() })).status).toBe(200);
    } finally {
      await own.close();
    }
  });

  it('bad options and bad seeds are refused at creation', async () => {
    await expect(createFakePaymo({ sessionLifetimeMs: 0 })).rejects.toThrow(TypeError);
    await expect(createFakePaymo({ createSessionStatus: 204 as 201 })).rejects.toThrow(TypeError);
    await expect(createFakePaymo({ rateLimit: { scope: 'company' as 'user' } })).rejects.toThrow(TypeError);
    await expect(createFakePaymo({ seed: { sessions: [{ id: 'x', user_id: 99 }] } })).rejects.toThrow(/99/);
    await expect(createFakePaymo({ seed: { sessions: [{ id: 'x', user_id: 1, created_on: 'yesterday' }] } })).rejects.toThrow(/yesterday/);
    await expect(createFakePaymo({ startTime: Number.NaN })).rejects.toThrow(TypeError);
    await expect(createFakePaymo({ locationHeader: 'relative' as 'path' })).rejects.toThrow(/locationHeader must be one of "absolute", "path"/);
    await expect(createFakePaymo({ unsupportedMethodStatus: 400 as 404 })).rejects.toThrow(TypeError);
  });

  it('a port in use is reported, not swallowed', async () => {
    await expect(createFakePaymo({ port: fake().port })).rejects.toThrow(/EADDRINUSE/);
  });
});
