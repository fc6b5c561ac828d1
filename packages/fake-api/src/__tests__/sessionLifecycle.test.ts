import { describe, expect, it } from 'vitest';
import { adminKey, adminPassword, basic, call, createSession, DAY_MS, demoAccounts, employeeKey, employeePassword, useFake } from './support.js';

describe('session expiry, revocation and archived users', () => {
  const fake = useFake();

  it('expiry follows the fake clock: valid until 31 days later, 401 from then on', async () => {
    const { token } = await createSession(fake(), adminPassword());
    fake().clock.advance(31 * DAY_MS - 5_000);
    expect((await call(fake(), '/me', { headers: { 'X-Session': token } })).status).toBe(200);
    fake().clock.advance(10_000);
    const expired = await call(fake(), '/me', { headers: { 'X-Session': token } });
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({ message: expect.any(String) });
    expect(fake().requests.at(-1)).toMatchObject({ reason: 'expired_session', userId: demoAccounts.admin.id });
  });

  it('fake.sessions.expire() ends the session only: Basic and the API key still work', async () => {
    const { token } = await createSession(fake(), adminPassword());
    fake().sessions.expire(token);
    expect((await call(fake(), '/me', { headers: { 'X-Session': token } })).status).toBe(401);
    expect((await call(fake(), '/me', { headers: adminKey() })).status).toBe(200);
  });

  it('DELETE with the session itself ends it; a second DELETE is 401 (the token is dead)', async () => {
    const { token } = await createSession(fake(), employeePassword());
    expect((await call(fake(), `/sessions/${token}`, { method: 'DELETE', headers: { 'X-Session': token } })).status).toBe(200);
    const again = await call(fake(), `/sessions/${token}`, { method: 'DELETE', headers: { 'X-Session': token } });
    expect(again.status).toBe(401);
    expect(fake().requests.at(-1)?.reason).toBe('ended_session');
    expect((await call(fake(), `/sessions/${token}`, { method: 'DELETE', headers: employeeKey() })).status).toBe(404);
  });

  it('ending one session leaves the user\'s other sessions valid', async () => {
    const first = (await createSession(fake(), employeePassword())).token;
    const second = (await createSession(fake(), employeeKey())).token;
    await call(fake(), `/sessions/${first}`, { method: 'DELETE', headers: { 'X-Session': second } });
    expect((await call(fake(), '/me', { headers: { 'X-Session': first } })).status).toBe(401);
    expect((await call(fake(), '/me', { headers: { 'X-Session': second } })).status).toBe(200);
    const list = (await (await call(fake(), '/sessions', { headers: { 'X-Session': second } })).json()) as { sessions: Array<{ id: string }> };
    expect(list.sessions.map((session) => session.id)).toEqual([second]);
  });

  it('fake.sessions.revoke() (the user ends it elsewhere): the token gets 401 at once', async () => {
    const { token } = await createSession(fake(), adminPassword());
    expect(fake().sessions.revoke(token)).toBe(true);
    expect(fake().sessions.revoke(token)).toBe(false);
    const response = await call(fake(), '/company', { headers: { 'X-Session': token } });
    expect(response.status).toBe(401);
    expect(fake().requests.at(-1)?.reason).toBe('ended_session');
  });

  it('fake.sessions.create() makes a usable token without an HTTP call', async () => {
    const session = fake().sessions.create(demoAccounts.guest.id, { ip: '10.0.2.2' });
    expect(session).toMatchObject({ user_id: 3, ip: '10.0.2.2' });
    expect(fake().countRequests()).toBe(0);
    const me = (await (await call(fake(), '/me', { headers: { 'X-Session': session.id } })).json()) as { users: Array<{ name: string }> };
    expect(me.users[0]?.name).toBe('Jan Levinson');
    expect(() => fake().sessions.create(999)).toThrow(/999/);
  });

  it('archived users are refused with password, API key and existing sessions', async () => {
    const { email, password, apiKey, id } = demoAccounts.archived;
    for (const headers of [basic(email, password), basic(apiKey, 'X')]) {
      const response = await call(fake(), '/me', { headers });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ message: expect.any(String) });
      expect(fake().requests.at(-1)).toMatchObject({ reason: 'archived_user', userId: id });
    }
    const session = fake().sessions.create(id);
    expect((await call(fake(), '/me', { headers: { 'X-Session': session.id } })).status).toBe(401);
    expect((await call(fake(), '/sessions', { method: 'POST', headers: basic(email, password) })).status).toBe(401);
    expect(fake().sessions.list(id)).toHaveLength(1);
  });

  it('fake.users.archive() refuses a user at once, sessions included; activate() lets them back', async () => {
    const { token } = await createSession(fake(), employeePassword());
    fake().users.archive(demoAccounts.employee.id);
    expect(fake().users.get(demoAccounts.employee.id)?.active).toBe(false);
    for (const headers of [{ 'X-Session': token }, employeePassword(), employeeKey()]) {
      expect((await call(fake(), '/me', { headers })).status).toBe(401);
    }
    const listed = (await (await call(fake(), '/users?where=active%3Dfalse', { headers: adminKey() })).json()) as { users: Array<{ id: number }> };
    expect(listed.users.map((user) => user.id)).toEqual([2, 4]);
    fake().users.activate(demoAccounts.employee.id);
    expect((await call(fake(), '/me', { headers: { 'X-Session': token } })).status).toBe(200);
  });

  it('an archived user and an active user may share an email: the password picks the active one', async () => {
    const { createFakePaymo } = await import('../createFakePaymo.js');
    const { defaultSeed } = await import('../seed.js');
    const seed = defaultSeed();
    seed.users.push({ id: 9, name: 'Ryan Howard (new)', email: demoAccounts.archived.email, type: 'Employee', active: true, password: 'new-pass' });
    const other = await createFakePaymo({ seed: { users: seed.users } });
    try {
      const me = (await (await call(other, '/me', { headers: basic(demoAccounts.archived.email, 'new-pass') })).json()) as { users: Array<{ id: number }> };
      expect(me.users[0]?.id).toBe(9);
      expect((await call(other, '/me', { headers: basic(demoAccounts.archived.email, demoAccounts.archived.password) })).status).toBe(401);
    } finally {
      await other.close();
    }
  });
});
