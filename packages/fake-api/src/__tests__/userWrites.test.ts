import { describe, expect, it } from 'vitest';
import { adminKey, basic, call, demoAccounts, employeeKey, useFake } from './support.js';

// Looser than Paymo's 5 per 5 s: these tests are about user management, not the quota.
const loose = { rateLimit: { limit: 10_000, decayPeriodSeconds: 10 } };
const json = (headers: Record<string, string>, body: unknown, method = 'POST'): RequestInit => ({
  method,
  headers: { ...headers, 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});
type Users = { users: Array<Record<string, unknown>> };

describe('users: create, update, retire, delete (READ users.md)', () => {
  const fake = useFake(loose);

  it('POST /api/users needs only email; with a password the new user can sign in; 201 + Location; never returns the password', async () => {
    const created = await call(fake(), '/users', json(adminKey(), { email: 'kelly@dundermifflin.com', type: 'Employee', assigned_projects: [28917], password: 'secret' }));
    expect(created.status).toBe(201);
    const text = await created.text();
    expect(text).not.toContain('secret');
    const user = (JSON.parse(text) as Users).users[0]!;
    expect(created.headers.get('location')).toBe(`${fake().url}/users/${String(user.id)}`);
    expect(user).toMatchObject({ email: 'kelly@dundermifflin.com', type: 'Employee', active: true, assigned_projects: [28917] });
    const me = await call(fake(), '/me', { headers: basic('kelly@dundermifflin.com', 'secret') });
    expect(me.status).toBe(200);
    const projects = (await (await call(fake(), '/projects', { headers: basic('kelly@dundermifflin.com', 'secret') })).json()) as { projects: Array<{ id: number }> };
    expect(projects.projects.map((p) => p.id)).toEqual([28917]);
    const noPassword = await call(fake(), '/users', json(adminKey(), { email: 'toby@dundermifflin.com', type: 'Guest' }));
    expect(noPassword.status).toBe(201);
    expect((await call(fake(), '/me', { headers: basic('toby@dundermifflin.com', '') })).status).toBe(401);
  });

  it('bad input is a 400: no email, a type other than Admin/Employee/Guest, an unknown field, an email in use', async () => {
    for (const body of [{ type: 'Employee' }, { email: 'a@b.c', type: 'Manager' }, { email: 'a@b.c', shoe_size: 11 }, { email: demoAccounts.employee.email }]) {
      const response = await call(fake(), '/users', json(adminKey(), body));
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(await response.json()).toEqual({ message: expect.any(String) });
    }
  });

  it('"403 Error: Could not add user. Maximum number of users reached." once active non-Guests fill max_users; Guests do not count', async () => {
    expect((await call(fake(), '/users', json(adminKey(), { email: 'a@dm.com' }))).status).toBe(201);
    expect((await call(fake(), '/users', json(adminKey(), { email: 'b@dm.com' }))).status).toBe(201);
    const over = await call(fake(), '/users', json(adminKey(), { email: 'c@dm.com' }));
    expect(over.status).toBe(403);
    expect(await over.json()).toEqual({ message: 'Could not add user. Maximum number of users reached.' });
    expect((await call(fake(), '/users', json(adminKey(), { email: 'guest@dm.com', type: 'Guest' }))).status).toBe(201);
  });

  it('the user limit holds under concurrency: 200 creates at once give exactly the 2 free seats', async () => {
    const statuses = await Promise.all(Array.from({ length: 200 }, (_, i) => call(fake(), '/users', json(adminKey(), { email: `u${i}@dm.com` })).then((r) => r.status)));
    expect(statuses.filter((status) => status === 201)).toHaveLength(2);
    expect(statuses.filter((status) => status === 403)).toHaveLength(198);
  });

  it('a password change takes effect; {"active":false} retires the user (401 from then on); assigned_projects moves project access', async () => {
    const id = demoAccounts.employee.id;
    expect((await call(fake(), `/users/${id}`, json(employeeKey(), { password: 'new password' }))).status).toBe(200);
    expect((await call(fake(), '/me', { headers: basic(demoAccounts.employee.email, 'new password') })).status).toBe(200);
    expect((await call(fake(), '/me', { headers: basic(demoAccounts.employee.email, demoAccounts.employee.password) })).status).toBe(401);
    const moved = await call(fake(), `/users/${id}`, json(adminKey(), { assigned_projects: [28918] }, 'PUT'));
    expect(((await moved.json()) as Users).users[0]!.assigned_projects).toEqual([28918]);
    const seen = (await (await call(fake(), '/projects', { headers: employeeKey() })).json()) as { projects: Array<{ id: number }> };
    expect(seen.projects.map((p) => p.id)).toEqual([28918]);
    expect((await call(fake(), `/users/${id}`, json(adminKey(), { active: false }))).status).toBe(200);
    expect((await call(fake(), '/me', { headers: employeeKey() })).status).toBe(401);
  });

  it('non-Admins may change only their own profile, and not their type, email or projects', async () => {
    expect((await call(fake(), '/users/1', json(employeeKey(), { name: 'Dwight' }))).status).toBe(403);
    expect((await call(fake(), `/users/${demoAccounts.employee.id}`, json(employeeKey(), { type: 'Admin' }))).status).toBe(403);
    expect((await call(fake(), `/users/${demoAccounts.employee.id}`, json(employeeKey(), { position: 'Assistant Regional Manager' }))).status).toBe(200);
    expect((await call(fake(), '/users', json(employeeKey(), { email: 'x@dm.com' }))).status).toBe(403);
    expect((await call(fake(), `/users/${demoAccounts.guest.id}`, { method: 'DELETE', headers: employeeKey() })).status).toBe(403);
  });

  it('deleting a user deletes the time they logged and ends their sessions', async () => {
    const token = fake().sessions.create(demoAccounts.employee.id).id;
    expect((await call(fake(), `/users/${demoAccounts.employee.id}`, { method: 'DELETE', headers: adminKey() })).status).toBe(200);
    expect((await call(fake(), '/entries/15200864', { headers: adminKey() })).status).toBe(404);
    expect((await call(fake(), '/entries/15200865', { headers: adminKey() })).status).toBe(200);
    expect((await call(fake(), '/me', { headers: { 'X-Session': token } })).status).toBe(401);
    expect((await call(fake(), `/users/${demoAccounts.employee.id}`, { headers: adminKey() })).status).toBe(404);
    expect((await call(fake(), '/users/1', { method: 'DELETE', headers: adminKey() })).status).toBe(400);
  });
});
