import { describe, expect, it } from 'vitest';
import { createFakePaymo } from '../createFakePaymo.js';
import { adminKey, basic, call, demoAccounts, employeeKey, useFake } from './support.js';

// Looser than Paymo's 5 per 5 s: these tests are about resources, not the quota.
const loose = { rateLimit: { limit: 10_000, decayPeriodSeconds: 10 } };
const guestKey = () => basic(demoAccounts.guest.apiKey, 'X');
const json = (headers: Record<string, string>, body: unknown, method = 'POST'): RequestInit => ({
  method,
  headers: { ...headers, 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});
const form = (headers: Record<string, string>, body: string, method = 'POST'): RequestInit => ({
  method,
  headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' },
  body,
});
type Rows = Record<string, Array<Record<string, unknown>>>;

describe('resources: projects, task lists, tasks, entries, clients, company', () => {
  const fake = useFake(loose);
  const get = async (path: string, headers = adminKey()) => {
    const response = await call(fake(), path, { headers });
    return { status: response.status, body: (await response.json()) as Rows & { message?: string } };
  };

  it('the seed is consistent: projects reference clients and users, task lists and tasks nest, users list their projects', async () => {
    const { body } = await get('/projects?include=tasklists,tasklists.tasks,client.name');
    expect(body.projects!.map((p) => p.id)).toEqual([28917, 28918]);
    const [sales] = body.projects!;
    expect(sales).toMatchObject({ client_id: 1001, client: { name: 'Blue Cross of Pennsylvania' }, users: [1, 2, 3], managers: [1] });
    expect(Object.keys(sales!.client as object)).toEqual(['name']); // "the nested object holds only those fields" (READ)
    const lists = sales!.tasklists as Rows[string];
    expect(lists.map((list) => list.id)).toEqual([546]);
    expect((lists[0]!.tasks as Rows[string]).map((task) => task.id)).toEqual([241184]);
    const users = (await get('/users')).body.users!;
    for (const user of users) {
      const assigned = body.projects!.filter((p) => (p.users as number[]).includes(user.id as number)).map((p) => p.id);
      expect(user.assigned_projects).toEqual(assigned);
    }
    const entries = (await get('/entries')).body.entries!;
    for (const entry of entries) {
      const task = (await get(`/tasks/${String(entry.task_id)}`)).body.tasks![0]!;
      expect(entry.project_id).toBe(task.project_id);
    }
  });

  it('every documented field of the objects is present (projects.md, tasklists.md, tasks.md, entries.md, company.md)', async () => {
    const project = (await get('/projects/28917')).body.projects![0]!;
    for (const field of ['id', 'name', 'code', 'task_code_increment', 'description', 'client_id', 'status_id', 'active', 'color', 'users', 'managers', 'billable', 'flat_billing', 'price_per_hour', 'price', 'estimated_price', 'hourly_billing_mode', 'budget_hours', 'adjustable_hours', 'invoiced', 'invoice_item_id', 'workflow_id', 'created_on', 'updated_on']) {
      expect(project).toHaveProperty(field);
    }
    const task = (await get('/tasks/241184')).body.tasks![0]!;
    for (const field of ['id', 'name', 'code', 'project_id', 'tasklist_id', 'seq', 'description', 'complete', 'due_date', 'user_id', 'users', 'billable', 'priority', 'status_id', 'created_on', 'updated_on']) {
      expect(task).toHaveProperty(field);
    }
    const company = (await (await call(fake(), '/company', { headers: adminKey() })).json()) as { company: Record<string, unknown> };
    for (const field of ['id', 'name', 'address', 'phone', 'email', 'url', 'fiscal_information', 'country', 'image', 'image_thumb_large', 'timezone', 'default_currency', 'default_price_per_hour', 'apply_tax_to_expenses', 'tax_on_tax', 'currency_position', 'next_invoice_number', 'next_estimate_number', 'online_payments', 'date_format', 'time_format', 'decimal_sep', 'thousands_sep', 'week_start', 'workday_start', 'workday_end', 'working_days', 'account_type', 'max_users', 'current_users', 'max_projects', 'current_projects', 'max_invoices', 'current_invoices', 'created_on', 'updated_on']) {
      expect(company.company).toHaveProperty(field);
    }
  });

  it('create answers 201 with Location and the object as GET shows it; POST and PUT update (200); DELETE 200 with an empty body', async () => {
    const created = await call(fake(), '/projects', json(adminKey(), { name: 'New Project', client_id: 1002, users: [2], managers: [1], billable: true }));
    expect(created.status).toBe(201);
    const body = (await created.json()) as Rows;
    const id = body.projects![0]!.id as number;
    expect(created.headers.get('location')).toBe(`${fake().url}/projects/${id}`);
    expect(body).toEqual((await get(`/projects/${id}`)).body);
    expect(body.projects![0]).toMatchObject({ name: 'New Project', users: [2, 1], managers: [1] }); // users include managers (READ)
    const posted = await call(fake(), `/projects/${id}`, json(adminKey(), { description: 'partial update' }));
    expect(posted.status).toBe(200);
    expect(((await posted.json()) as Rows).projects![0]).toMatchObject({ name: 'New Project', description: 'partial update' });
    const put = await call(fake(), `/projects/${id}`, json(adminKey(), { name: 'Renamed' }, 'PUT'));
    expect(put.status).toBe(200);
    expect(((await put.json()) as Rows).projects![0]).toMatchObject({ name: 'Renamed', description: 'partial update' });
    const deleted = await call(fake(), `/projects/${id}`, { method: 'DELETE', headers: adminKey() });
    expect(deleted.status).toBe(200);
    expect(await deleted.text()).toBe('');
    expect((await get(`/projects/${id}`)).status).toBe(404);
  });

  it('form-encoded bodies work like JSON (lists as users[]=, numbers and booleans as text)', async () => {
    const created = await call(fake(), '/tasks', form(adminKey(), 'name=Form+task&tasklist_id=546&users[]=2&users[]=3&billable=false'));
    expect(created.status).toBe(201);
    expect(((await created.json()) as Rows).tasks![0]).toMatchObject({ name: 'Form task', tasklist_id: 546, project_id: 28917, users: [2, 3], billable: false });
  });

  it("the docs' own samples work: post.php sends multipart/form-data, post.py JSON, get.py reads r.json()['projects'] (READ sections/samples)", async () => {
    const multipart = new FormData();
    multipart.append('client_id', '1001');
    multipart.append('name', 'New Project');
    multipart.append('description', 'Project added from API');
    const php = await call(fake(), '/projects', { method: 'POST', headers: { ...adminKey(), Accept: 'application/json' }, body: multipart });
    expect(php.status).toBe(201);
    expect(((await php.json()) as Rows).projects![0]).toMatchObject({ name: 'New Project', client_id: 1001, description: 'Project added from API' });
    const py = await call(fake(), '/projects', json({ ...adminKey(), Accept: 'application/json' }, { client_id: 1001, name: 'New Project', description: 'Project added from API' }));
    expect(typeof ((await py.json()) as Rows).projects![0]!.id).toBe('number');
    const list = (await get('/projects')).body.projects!;
    expect(list.map((p) => p.name)).toContain('New Project');
    const file = new FormData();
    file.append('image', new Blob(['x']), 'logo.png');
    expect((await call(fake(), '/projects/28917', { method: 'POST', headers: adminKey(), body: file })).status).toBe(400);
    const broken = await call(fake(), '/projects', { method: 'POST', headers: { ...adminKey(), 'Content-Type': 'multipart/form-data' }, body: 'name=x' });
    expect(broken.status).toBe(400);
  });

  it('bad bodies are a 400 {"message"}: missing required field, wrong type, unknown field, not JSON', async () => {
    const cases: RequestInit[] = [
      json(adminKey(), { description: 'no name' }),
      json(adminKey(), { name: 'x', billable: 'perhaps' }),
      json(adminKey(), { name: 'x', no_such_field: 1 }),
      json(adminKey(), { name: 'x', client_id: 999999 }),
      { method: 'POST', headers: { ...adminKey(), 'Content-Type': 'application/json' }, body: '{"name":' },
      { method: 'POST', headers: { ...adminKey(), 'Content-Type': 'application/json' }, body: '[1]' },
    ];
    for (const init of cases) {
      const response = await call(fake(), '/projects', init);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ message: expect.any(String) });
    }
    expect((await call(fake(), '/tasklists', json(adminKey(), { name: 'no project' }))).status).toBe(400);
    expect((await call(fake(), '/entries', json(adminKey(), { task_id: 241184 }))).status).toBe(400);
  });

  it('where works on every resource, entries by client_id and running timers (end_time=null) included', async () => {
    expect((await get('/projects?where=client_id=1003')).body.projects!.map((p) => p.id)).toEqual([28918]);
    expect((await get('/tasklists?where=project_id=28917')).body.tasklists!.map((l) => l.id)).toEqual([546]);
    expect((await get('/tasks?where=name like "blue"')).body.tasks!.map((t) => t.id)).toEqual([241184]);
    expect((await get('/entries?where=client_id=1001')).body.entries!.map((e) => e.id)).toEqual([15200864]);
    expect((await get('/entries?where=user_id=2 and end_time=null')).body.entries).toEqual([]);
    expect((await get('/clients?where=active=false')).body.clients!.map((c) => c.id)).toEqual([1004]);
    expect((await get('/projects?where=nope=1')).status).toBe(400);
    const interval = encodeURIComponent('time_interval in ("2014-12-01T00:00:00Z","2014-12-11T00:00:00Z")');
    expect((await get(`/entries?where=${interval}`)).body.entries!.map((e) => e.id)).toEqual([15200864]);
    expect((await get(`/entries?where=${encodeURIComponent('user_id=1 and time_interval in ("2014-12-01T00:00:00Z","2015-01-01T00:00:00Z")')}`)).body.entries!.map((e) => e.id)).toEqual([15200865]);
    expect((await get(`/entries?where=${encodeURIComponent('time_interval=5')}`)).status).toBe(400);
  });

  it('include nests parents as objects and children as arrays; unknown keys are a 400', async () => {
    const task = (await get('/tasks/241184?include=project.name,tasklist,entries,user')).body.tasks![0]!;
    expect(task.project).toEqual({ name: 'Scranton Paper Sales' });
    expect(task.tasklist).toMatchObject({ id: 546, name: 'Sales Calls' });
    expect((task.entries as Rows[string]).map((e) => e.id)).toEqual([15200864]);
    expect(task.user).toMatchObject({ id: 1, name: 'Michael Scott' });
    expect(task.user).not.toHaveProperty('password');
    expect((await get('/projects?include=tasklists.tasks.project.client')).status).toBe(200);
    expect((await get('/projects?include=tasklists.project.tasklists.project.tasklists')).status).toBe(400);
    expect((await get(`/projects?include=${Array.from({ length: 21 }, () => 'client').join(',')}`)).status).toBe(400);
    const bad = await get('/tasks?include=invoices');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/include/);
  });

  it('page (0-based) and page_size [3RD-PARTY]; unknown query parameters and page without page_size are a 400', async () => {
    expect((await get('/clients?page_size=2')).body.clients!.map((c) => c.id)).toEqual([1001, 1002]);
    expect((await get('/clients?page=1&page_size=2')).body.clients!.map((c) => c.id)).toEqual([1003, 1004]);
    expect((await get('/clients?page=5&page_size=2')).body.clients).toEqual([]);
    for (const query of ['page=1', 'page_size=0', 'page=-1&page_size=2', 'partial_include=x', 'sort=name', 'limit=1']) {
      const answer = await get(`/projects?${query}`);
      expect(answer.status, query).toBe(400);
      expect(answer.body).toEqual({ message: expect.any(String) });
    }
  });

  it('Employees and Guests see only the projects they are assigned to, and what hangs off them (READ users.md)', async () => {
    expect((await get('/projects', employeeKey())).body.projects!.map((p) => p.id)).toEqual([28917]);
    expect((await get('/projects/28918', employeeKey())).status).toBe(404);
    expect((await get('/tasks', guestKey())).body.tasks!.map((t) => t.id)).toEqual([241184]);
    expect((await get('/entries', employeeKey())).body.entries!.map((e) => e.id)).toEqual([15200864]);
    expect((await get('/projects', adminKey())).body.projects).toHaveLength(2);
  });

  it('403 Forbidden without the rights: a non-manager updating a project, non-Admins creating one, Guests writing, entries of others', async () => {
    const update = await call(fake(), '/projects/28917', json(employeeKey(), { name: 'mine now' }));
    expect(update.status).toBe(403);
    expect(await update.json()).toEqual({ message: 'Forbidden' });
    expect((await call(fake(), '/projects', json(employeeKey(), { name: 'x' }))).status).toBe(403);
    expect((await call(fake(), '/tasks', json(guestKey(), { name: 'x', tasklist_id: 546 }))).status).toBe(403);
    expect((await call(fake(), '/entries', json(employeeKey(), { task_id: 241184, user_id: 1, date: '2015-01-02', duration: 600 }))).status).toBe(403);
    const own = await call(fake(), '/entries', json(employeeKey(), { task_id: 241184, date: '2015-01-02', duration: 600 }));
    expect(own.status).toBe(201);
    expect(((await own.json()) as Rows).entries![0]).toMatchObject({ user_id: 2, project_id: 28917, is_bulk: true, duration: 600 });
    expect((await call(fake(), '/clients', json(employeeKey(), { name: 'x' }))).status).toBe(403);
    expect((await call(fake(), '/company', json(employeeKey(), { name: 'x' }))).status).toBe(403);
  });

  it('the projects limit: "403 Error: Adding projects denied. Projects limit reached." (READ projects.md)', async () => {
    const own = await createFakePaymo({ ...loose, seed: { company: { id: 1, name: 'Free Co', account_type: 'free', max_projects: 2 } } });
    try {
      const response = await call(own, '/projects', json(adminKey(), { name: 'third' }));
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ message: 'Adding projects denied. Projects limit reached.' });
    } finally {
      await own.close();
    }
  });

  it('entries: date+duration entries have no start/end and the reverse; at least 1 minute; one running timer per user (409)', async () => {
    const timed = await call(fake(), '/entries', json(adminKey(), { task_id: 241184, start_time: '2014-12-10T09:00:00Z', end_time: '2014-12-10T10:00:00Z' }));
    const entry = ((await timed.json()) as Rows).entries![0]!;
    expect(entry).toMatchObject({ is_bulk: false, start_time: '2014-12-10T09:00:00Z', end_time: '2014-12-10T10:00:00Z' });
    expect(entry).not.toHaveProperty('date');
    expect(entry).not.toHaveProperty('duration');
    const short = await call(fake(), '/entries', json(adminKey(), { task_id: 241184, start_time: '2014-12-10T09:00:00Z', end_time: '2014-12-10T09:00:30Z' }));
    expect(short.status).toBe(400);
    const timer = await call(fake(), '/entries', json(adminKey(), { task_id: 241184, start_time: '2015-01-01T09:00:00Z' }));
    expect(timer.status).toBe(201);
    const timerId = ((await timer.json()) as Rows).entries![0]!.id as number;
    const second = await call(fake(), '/entries', json(adminKey(), { task_id: 241185, start_time: '2015-01-01T09:05:00Z' }));
    expect(second.status).toBe(409);
    expect(await second.json()).toEqual({ message: expect.any(String) });
    expect((await get('/entries?where=user_id=1 and end_time=null')).body.entries!.map((e) => e.id)).toEqual([timerId]);
    expect((await call(fake(), `/entries/${timerId}`, json(adminKey(), { end_time: '2015-01-01T09:00:20Z' }))).status).toBe(400);
    expect((await call(fake(), `/entries/${timerId}`, json(adminKey(), { end_time: '2015-01-01T10:00:00Z' }))).status).toBe(200);
    expect((await call(fake(), '/entries', json(adminKey(), { task_id: 241185, start_time: '2015-01-01T11:00:00Z' }))).status).toBe(201);
  });

  it('one running timer per user holds under concurrency: 300 starts at once give exactly one 201', async () => {
    const answers = await Promise.all(
      Array.from({ length: 300 }, () => call(fake(), '/entries', json(employeeKey(), { task_id: 241184, start_time: '2015-02-01T09:00:00Z' })).then((r) => r.status)),
    );
    expect(answers.filter((status) => status === 201)).toHaveLength(1);
    expect(answers.filter((status) => status === 409)).toHaveLength(299);
  });

  it('completing a task records completed_on (fake clock) and completed_by', async () => {
    fake().clock.set(new Date('2015-03-02T10:00:00Z'));
    const done = await call(fake(), '/tasks/241184', json(adminKey(), { complete: true }, 'PUT'));
    expect(((await done.json()) as Rows).tasks![0]).toMatchObject({ complete: true, completed_on: '2015-03-02T10:00:00Z', completed_by: 1 });
    expect((await get('/tasks?where=complete=true')).body.tasks!.map((t) => t.id)).toEqual([241184]);
  });

  it('a task with project_id and no tasklist_id goes to the "Default Task List", created when missing (READ tasks.md)', async () => {
    const first = ((await (await call(fake(), '/tasks', json(adminKey(), { name: 'a', project_id: 28917 }))).json()) as Rows).tasks![0]!;
    const second = ((await (await call(fake(), '/tasks', json(adminKey(), { name: 'b', project_id: 28917 }))).json()) as Rows).tasks![0]!;
    expect(first.tasklist_id).toBe(second.tasklist_id);
    expect((await get(`/tasklists/${String(first.tasklist_id)}`)).body.tasklists![0]).toMatchObject({ name: 'Default Task List', project_id: 28917 });
  });

  it('deleting a project deletes its task lists, tasks and time entries (READ projects.md)', async () => {
    expect((await call(fake(), '/projects/28917', { method: 'DELETE', headers: adminKey() })).status).toBe(200);
    expect((await get('/tasklists/546')).status).toBe(404);
    expect((await get('/tasks/241184')).status).toBe(404);
    expect((await get('/entries/15200864')).status).toBe(404);
    expect((await get('/entries')).body.entries!.map((e) => e.id)).toEqual([15200865]);
  });

  it('company: POST or PUT updates it (Admin), read-only fields ignored; counters follow the data', async () => {
    const put = await call(fake(), '/company', json(adminKey(), { name: 'Dunder Mifflin Scranton', max_users: 99 }, 'PUT'));
    expect(put.status).toBe(200);
    expect(((await put.json()) as { company: Record<string, unknown> }).company).toMatchObject({ name: 'Dunder Mifflin Scranton', max_users: 4, current_projects: 2 });
    await call(fake(), '/projects', json(adminKey(), { name: 'x', client_id: 1001 }));
    expect(((await (await call(fake(), '/company', { headers: adminKey() })).json()) as { company: Record<string, unknown> }).company.current_projects).toBe(3);
  });

  it('deleteBody: "object" answers {} instead of an empty body', async () => {
    const own = await createFakePaymo({ ...loose, deleteBody: 'object' });
    try {
      const response = await call(own, '/entries/15200865', { method: 'DELETE', headers: adminKey() });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({});
    } finally {
      await own.close();
    }
  });
});
