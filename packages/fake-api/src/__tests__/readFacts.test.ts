// One test per READ fact of shared/reference/paymo-api.md that the fake implements, named after it.
import { describe, expect, it } from 'vitest';
import { adminKey, adminPassword, basic, call, createSession, DAY_MS, demoAccounts, employeePassword, rawGet, useFake } from './support.js';

const PAYMO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const START = Date.UTC(2015, 0, 16, 13, 54, 41);

describe('READ facts of the Paymo API', () => {
  // These tests check what the docs print, so the docs' header casing; some send ~20 requests while the
  // clock is frozen, more than the default quota (5 per 5 s, 3RD-PARTY) allows.
  const fake = useFake({ startTime: START, frozenClock: true, rateLimit: { limit: 100, decayPeriodSeconds: 10, headerCase: 'docs' } });

  it('§1 resources hang directly off /api: /api/clients, /api/me, /api/sessions', async () => {
    for (const path of ['/clients', '/me', '/sessions']) {
      expect((await call(fake(), path, { headers: adminPassword() })).status).toBe(200);
    }
    expect(fake().url.endsWith('/api')).toBe(true);
  });

  it('§2.1 HTTP Basic with the user\'s email and password authenticates (curl -u email:password)', async () => {
    const response = await call(fake(), '/clients', { headers: { ...adminPassword(), Accept: 'application/json' } });
    expect(response.status).toBe(200);
    expect(fake().requests.at(-1)).toMatchObject({ auth: 'basic', userId: demoAccounts.admin.id });
  });

  it('§2.2 an API key is the Basic username and the password can be any text', async () => {
    for (const password of ['SOME_RANDOM_TEXT', 'X', '', 'anything: with colons']) {
      const response = await call(fake(), '/me', { headers: basic(demoAccounts.admin.apiKey, password) });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { users: Array<{ id: number }> }).users[0]?.id).toBe(demoAccounts.admin.id);
    }
    expect(fake().requests.every((entry) => entry.auth === 'apiKey')).toBe(true);
  });

  it('§2.3 a session token sent in the X-Session header authenticates', async () => {
    const { token } = await createSession(fake(), adminPassword());
    const response = await call(fake(), '/clients', { headers: { 'X-Session': token } });
    expect(response.status).toBe(200);
    expect(fake().requests.at(-1)).toMatchObject({ auth: 'session', userId: 1 });
  });

  it('§2.3 a session token has the same access level as the user it was created for', async () => {
    const { token } = await createSession(fake(), employeePassword());
    const viaSession = await (await call(fake(), '/me', { headers: { 'X-Session': token } })).json();
    const viaPassword = await (await call(fake(), '/me', { headers: employeePassword() })).json();
    expect(viaSession).toEqual(viaPassword);
  });

  it('§2.3 POST /api/sessions must be authenticated with Basic (email:password) or an API key', async () => {
    expect((await createSession(fake(), adminPassword())).response.status).toBe(201);
    expect((await createSession(fake(), adminKey())).response.status).toBe(201);
    const { token } = await createSession(fake(), adminKey());
    const viaSession = await call(fake(), '/sessions', { method: 'POST', headers: { 'X-Session': token } });
    expect(viaSession.status).toBe(401);
    expect((await call(fake(), '/sessions', { method: 'POST' })).status).toBe(401);
  });

  it('§2.3 POST /api/sessions takes an empty body (and no Content-Type)', async () => {
    const response = await call(fake(), '/sessions', { method: 'POST', headers: adminPassword() });
    expect(response.status).toBe(201);
    const withBody = await call(fake(), '/sessions', { method: 'POST', headers: { ...adminPassword(), 'Content-Type': 'application/json' }, body: '' });
    expect(withBody.status).toBe(201);
  });

  it('§2.3 the create-session response holds the new session: {"sessions":[{id, ip, expires_on, created_on, updated_on, user_id}]}', async () => {
    const { body } = await createSession(fake(), employeePassword());
    expect(Object.keys(body)).toEqual(['sessions']);
    expect(body.sessions).toHaveLength(1);
    expect(Object.keys(body.sessions[0]!)).toEqual(['id', 'ip', 'expires_on', 'created_on', 'updated_on', 'user_id']);
    expect(body.sessions[0]).toMatchObject({ ip: '127.0.0.1', user_id: demoAccounts.employee.id, created_on: '2015-01-16T13:54:41Z' });
  });

  it('§2.3 a session token has an expiration date, after which it is no longer valid', async () => {
    const { token, body } = await createSession(fake(), adminPassword());
    const expiresOn = Date.parse(String(body.sessions[0]!.expires_on));
    fake().clock.set(expiresOn - 1000);
    expect((await call(fake(), '/me', { headers: { 'X-Session': token } })).status).toBe(200);
    fake().clock.set(expiresOn);
    expect((await call(fake(), '/me', { headers: { 'X-Session': token } })).status).toBe(401);
  });

  it('§2.3 DELETE /api/sessions/[SessionID] ends the session and invalidates its token, answering 200 OK', async () => {
    const { token } = await createSession(fake(), adminPassword());
    const response = await call(fake(), `/sessions/${token}`, { method: 'DELETE', headers: adminPassword() });
    expect(response.status).toBe(200);
    expect((await call(fake(), '/me', { headers: { 'X-Session': token } })).status).toBe(401);
    expect(fake().sessions.get(token)).toBeUndefined();
  });

  it('§2.3 the session id is the token: 32 lowercase hex characters, a string and not an integer', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) ids.add((await createSession(fake(), adminPassword())).token);
    expect(ids.size).toBe(5);
    for (const id of ids) {
      expect(typeof id).toBe('string');
      expect(id).toMatch(/^[0-9a-f]{32}$/);
    }
  });

  it('§2.4 in a new session updated_on equals created_on', async () => {
    const { body } = await createSession(fake(), adminPassword());
    expect(body.sessions[0]!.updated_on).toBe(body.sessions[0]!.created_on);
  });

  it('§2.5 GET /api/sessions lists the current user\'s sessions in {"sessions":[...]}', async () => {
    const mine = [(await createSession(fake(), adminPassword())).token, (await createSession(fake(), adminKey())).token];
    await createSession(fake(), employeePassword());
    const body = (await (await call(fake(), '/sessions', { headers: adminPassword() })).json()) as { sessions: Array<{ id: string; user_id: number }> };
    expect(body.sessions.map((session) => session.id).sort()).toEqual([...mine].sort());
    expect(body.sessions.every((session) => session.user_id === demoAccounts.admin.id)).toBe(true);
  });

  it('§2.5 GET /api/sessions/[SESSION_ID] is still wrapped in an array', async () => {
    const { token, body: created } = await createSession(fake(), adminPassword());
    const body = await (await call(fake(), `/sessions/${token}`, { headers: { 'X-Session': token } })).json();
    expect(body).toEqual({ sessions: [created.sessions[0]] });
  });

  it('§2.7 user objects carry the documented fields and types, never a password', async () => {
    const body = (await (await call(fake(), '/users/1', { headers: adminKey() })).json()) as { users: Array<Record<string, unknown>> };
    const user = body.users[0]!;
    expect(user).toMatchObject({
      id: 1,
      name: 'Michael Scott',
      email: 'michael@dundermifflin.com',
      type: 'Admin',
      active: true,
      timezone: 'US/Eastern',
      week_start: '1',
      assigned_projects: [28917],
      managed_projects: [28917],
      skype: null,
    });
    expect(Number.isInteger(user.id)).toBe(true);
    expect(typeof user.week_start).toBe('string');
    expect(user).not.toHaveProperty('password');
    expect(user).not.toHaveProperty('apiKey');
    expect(JSON.stringify(body)).not.toContain(demoAccounts.admin.password);
    expect(JSON.stringify(body)).not.toContain(demoAccounts.admin.apiKey);
  });

  it('§2.7 user type is one of Admin, Employee, Guest', async () => {
    const body = (await (await call(fake(), '/users', { headers: adminKey() })).json()) as { users: Array<{ type: string }> };
    expect(new Set(body.users.map((user) => user.type))).toEqual(new Set(['Admin', 'Employee', 'Guest']));
  });

  it('§3.1 with no Accept header the response is JSON', async () => {
    const response = await rawGet(fake(), '/api/me', [adminKey().Authorization!].map((value) => `Authorization: ${value}`));
    expect(response.status).toBe(200);
    expect(response.headerLines).toContain('Content-Type: application/json');
    expect(JSON.parse(response.body)).toHaveProperty('users');
  });

  it('§3.1 Accept: application/json gives JSON', async () => {
    const response = await call(fake(), '/me', { headers: { ...adminKey(), Accept: 'application/json' } });
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toHaveProperty('users');
  });

  it('§3.2 a body is one key named after the resource, holding an array even for one object', async () => {
    const cases: Array<[string, string]> = [
      ['/users', 'users'],
      ['/users/2', 'users'],
      ['/clients', 'clients'],
      ['/clients/1001', 'clients'],
      ['/sessions', 'sessions'],
      ['/me', 'users'],
    ];
    for (const [path, key] of cases) {
      const body = (await (await call(fake(), path, { headers: adminKey() })).json()) as Record<string, unknown>;
      expect(Object.keys(body), path).toEqual([key]);
      expect(Array.isArray(body[key]), path).toBe(true);
    }
  });

  it('§3.2 / §6.2 GET /api/company returns a single object {"company":{...}}, not an array', async () => {
    const body = (await (await call(fake(), '/company', { headers: adminKey() })).json()) as { company: Record<string, unknown> };
    expect(Object.keys(body)).toEqual(['company']);
    expect(Array.isArray(body.company)).toBe(false);
    expect(body.company).toMatchObject({ id: 123, name: 'Dunder Mifflin Paper Company', account_type: 'commercial', max_users: 4, current_users: 2 });
  });

  it('§3.2 datetimes are ISO 8601 in UTC with a Z suffix (2015-01-17T18:23:02Z)', async () => {
    fake().clock.set(Date.UTC(2015, 0, 17, 18, 23, 2, 987));
    const { body } = await createSession(fake(), adminPassword());
    expect(body.sessions[0]!.created_on).toBe('2015-01-17T18:23:02Z');
    const users = (await (await call(fake(), '/users', { headers: adminKey() })).json()) as { users: Array<Record<string, string>> };
    for (const user of users.users) expect(user.created_on).toMatch(PAYMO_DATETIME);
  });

  it('§3.2 in a where filter datetimes are unix timestamps (created_on>=1583954441)', async () => {
    const since = Date.UTC(2014, 0, 1) / 1000;
    const where = encodeURIComponent(`created_on>=${since}`);
    const body = (await (await call(fake(), `/users?where=${where}`, { headers: adminKey() })).json()) as { users: Array<{ id: number }> };
    expect(body.users.map((user) => user.id)).toEqual([3]);
  });

  it('§3.3 conditions are joined with " and " and the value is URL-encoded', async () => {
    const where = encodeURIComponent('active=true and type=Employee');
    const body = (await (await call(fake(), `/users?where=${where}`, { headers: adminKey() })).json()) as { users: Array<{ id: number }> };
    expect(body.users.map((user) => user.id)).toEqual([2]);
  });

  it('§3.3 the operators =, !=, >, >=, <, <=, like, not like, in (...) and not in (...) filter', async () => {
    const ids = async (where: string) =>
      ((await (await call(fake(), `/users?where=${encodeURIComponent(where)}`, { headers: adminKey() })).json()) as { users: Array<{ id: number }> }).users.map(
        (user) => user.id,
      );
    expect(await ids('id!=1')).toEqual([2, 3, 4]);
    expect(await ids('price_per_hour>50')).toEqual([1]);
    expect(await ids('id>=3')).toEqual([3, 4]);
    expect(await ids('id<2')).toEqual([1]);
    expect(await ids('id<=2')).toEqual([1, 2]);
    expect(await ids('name like Scott')).toEqual([1]);
    expect(await ids('name not like Scott')).toEqual([2, 3, 4]);
    expect(await ids('id in (1,3)')).toEqual([1, 3]);
    expect(await ids('id not in (1,3)')).toEqual([2, 4]);
    expect(await ids('name="Dwight Schrute"')).toEqual([2]);
  });

  it('§6.1 users can be filtered with where=active=true|false and where=type=Admin|Employee', async () => {
    const ids = async (where: string) =>
      ((await (await call(fake(), `/users?where=${encodeURIComponent(where)}`, { headers: adminKey() })).json()) as { users: Array<{ id: number }> }).users.map(
        (user) => user.id,
      );
    expect(await ids('active=true')).toEqual([1, 2, 3]);
    expect(await ids('active=false')).toEqual([4]);
    expect(await ids('type=Admin')).toEqual([1]);
    expect(await ids('type=Employee')).toEqual([2, 4]);
    expect(await ids('type=Guest')).toEqual([3]);
  });

  it('§2.1 / §6.1 retired (archived, active: false) users cannot log in', async () => {
    const { email, password, apiKey } = demoAccounts.archived;
    expect((await call(fake(), '/me', { headers: basic(email, password) })).status).toBe(401);
    expect((await call(fake(), '/me', { headers: basic(apiKey, 'X') })).status).toBe(401);
  });

  it('§5 going over the limit answers 429 Too Many Requests, and so does every following request until the limit expires', async () => {
    fake().rateLimit.configure({ limit: 2, decayPeriodSeconds: 10 });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await call(fake(), '/me', { headers: adminKey() })).status);
    expect(statuses).toEqual([200, 200, 429, 429, 429]);
    fake().clock.advance(10_000);
    expect((await call(fake(), '/me', { headers: adminKey() })).status).toBe(200);
  });

  it('§5 a 429 carries Retry-After with the number of seconds to wait', async () => {
    fake().rateLimit.configure({ limit: 1, decayPeriodSeconds: 30 });
    await call(fake(), '/me', { headers: adminKey() });
    fake().clock.advance(12_000);
    const response = await call(fake(), '/me', { headers: adminKey() });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('18');
  });

  it('§5 responses carry X-Ratelimit-Decay-Period, X-Ratelimit-Limit and X-Ratelimit-Remaining, with that exact casing', async () => {
    const response = await rawGet(fake(), '/api/me', [`Authorization: ${adminKey().Authorization}`]);
    expect(response.status).toBe(200);
    expect(response.headerLines).toEqual(
      expect.arrayContaining(['X-Ratelimit-Decay-Period: 10', 'X-Ratelimit-Limit: 100', 'X-Ratelimit-Remaining: 99']),
    );
  });

  it('§3.4 DELETE answers 200 OK', async () => {
    const { token } = await createSession(fake(), adminPassword());
    expect((await call(fake(), `/sessions/${token}`, { method: 'DELETE', headers: { 'X-Session': token } })).status).toBe(200);
  });

  it('§7.8 the seed holds the doc examples: Michael Scott (Admin, US/Eastern), Dwight Schrute (Employee, US/Central), company 123', async () => {
    const body = (await (await call(fake(), '/users?where=active%3Dtrue', { headers: adminKey() })).json()) as { users: Array<Record<string, unknown>> };
    expect(body.users[0]).toMatchObject({ id: 1, name: 'Michael Scott', type: 'Admin', timezone: 'US/Eastern', phone: '860-437-7283', position: 'CEO' });
    expect(body.users[1]).toMatchObject({ id: 2, name: 'Dwight Schrute', type: 'Employee', timezone: 'US/Central' });
  });

  it('§2.4 the doc examples\' lifetime: a session made at 2015-01-16T13:54:41Z expires 2015-02-16T13:54:41Z', async () => {
    const { body } = await createSession(fake(), adminPassword());
    expect(body.sessions[0]).toMatchObject({ created_on: '2015-01-16T13:54:41Z', expires_on: '2015-02-16T13:54:41Z' });
    expect(Date.parse(String(body.sessions[0]!.expires_on)) - START).toBe(31 * DAY_MS);
  });
});
