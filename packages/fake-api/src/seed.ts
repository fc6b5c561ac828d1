import { demoAccounts } from './demoAccounts.js';
import type { PaymoClient, PaymoCompany, PaymoEntry, PaymoHook, PaymoProject, PaymoSession, PaymoTask, PaymoTasklist, PaymoUser } from './types.js';

/**
 * A seeded user: the public user object plus the credentials that sign in as them.
 *
 * @example
 * const pam: SeedUser = { id: 5, name: 'Pam Beesly', email: 'pam@dundermifflin.com', type: 'Employee', active: true, password: 'pam' };
 */
export type SeedUser = PaymoUser & {
  /** Password for Basic `email:password`; without one the user cannot use a password. */
  password?: string;
  /** API key for Basic `apiKey:anything`; without one the user has no key. */
  apiKey?: string;
};

/** A pre-existing session. `created_on`/`updated_on` default to the clock's start, `expires_on` to created + lifetime. */
export type SeedSession = Partial<PaymoSession> & { id: string; user_id: number };

/**
 * Everything the fake serves. Pass a part as the `seed` option to replace that part of the default.
 *
 * @example
 * await createFakePaymo({ seed: { clients: [{ id: 1, name: 'Vance Refrigeration', active: true }] } });
 */
export interface FakePaymoSeed {
  users: SeedUser[];
  company: PaymoCompany;
  clients: PaymoClient[];
  sessions: SeedSession[];
  /** Projects (`users`/`managers` also decide who sees them: Employees and Guests see only their own). */
  projects: PaymoProject[];
  tasklists: PaymoTasklist[];
  tasks: PaymoTask[];
  /** Time entries: with `date` + `duration` (`is_bulk: true`) or `start_time` + `end_time` (`end_time: null` is a running timer). */
  entries: PaymoEntry[];
  /** Webhooks; `owner_id` is the user who created one (it lists only their own), `secret` signs deliveries. */
  hooks: Array<PaymoHook & { owner_id: number; secret?: string }>;
}

const userDefaults = {
  skype: null,
  workday_hours: 8,
  price_per_hour: 50,
  date_format: 'm/d/Y',
  decimal_sep: '.',
  thousands_sep: ',',
  time_format: 'h:i a',
  week_start: '1',
  language: 'en',
  timezone: 'US/Eastern',
  assigned_projects: [] as number[],
  managed_projects: [] as number[],
};

const credentials = (account: { email: string; password: string; apiKey: string }) => ({
  email: account.email,
  password: account.password,
  apiKey: account.apiKey,
});

/**
 * A fresh copy of the default seed data, built from the examples in Paymo's docs (Michael Scott's
 * user object is the doc's own) with the credentials of {@link demoAccounts}.
 *
 * @example
 * const seed = defaultSeed();
 * seed.users.push({ id: 5, name: 'Pam Beesly', email: 'pam@dundermifflin.com', type: 'Employee', active: true, password: 'pam' });
 * const fake = await createFakePaymo({ seed });
 */
export function defaultSeed(): FakePaymoSeed {
  const { admin, employee, guest, archived } = demoAccounts;
  return {
    users: (<SeedUser[]>[
      {
        ...userDefaults,
        id: admin.id,
        name: admin.name,
        type: admin.type,
        active: true,
        phone: '860-437-7283',
        position: 'CEO',
        workday_hours: 10,
        price_per_hour: 80,
        image: 'https://app.paymoapp.com/assets/1/users/michael.jpg',
        created_on: '2013-08-01T13:09:16Z',
        updated_on: '2015-01-06T19:53:51Z',
        date_format: 'm/d/Y',
        thousands_sep: '',
        time_format: 'H:i',
        assigned_projects: [28917],
        managed_projects: [28917],
        ...credentials(admin),
      },
      {
        ...userDefaults,
        id: employee.id,
        name: employee.name,
        type: employee.type,
        active: true,
        phone: '860-437-7284',
        position: 'Assistant to the Regional Manager',
        timezone: 'US/Central',
        image: null,
        created_on: '2013-08-02T09:12:45Z',
        updated_on: '2015-01-06T19:55:12Z',
        assigned_projects: [28917],
        ...credentials(employee),
      },
      {
        ...userDefaults,
        id: guest.id,
        name: guest.name,
        type: guest.type,
        active: true,
        phone: '',
        position: 'VP of Northeast Sales',
        image: null,
        created_on: '2014-03-11T15:20:02Z',
        updated_on: '2014-03-11T15:20:02Z',
        assigned_projects: [28917],
        ...credentials(guest),
      },
      {
        ...userDefaults,
        id: archived.id,
        name: archived.name,
        type: archived.type,
        active: false,
        phone: '',
        position: 'Temp',
        image: null,
        created_on: '2013-09-23T08:01:30Z',
        updated_on: '2014-11-30T17:44:10Z',
        ...credentials(archived),
      },
    ]).map(inDocOrder),
    company: {
      id: 123,
      name: 'Dunder Mifflin Paper Company',
      address: '1725 Slough Avenue, Scranton, PA 18505',
      phone: '570-555-0100',
      email: 'info@dundermifflin.com',
      url: 'https://www.dundermifflin.com',
      fiscal_information: '',
      country: 'US',
      image: null,
      image_thumb_large: null,
      image_thumb_medium: null,
      image_thumb_small: null,
      created_on: '2013-08-01T13:09:16Z',
      updated_on: '2015-01-06T19:53:51Z',
      timezone: 'US/Eastern',
      default_currency: 'USD',
      default_price_per_hour: '50',
      apply_tax_to_expenses: '0',
      tax_on_tax: '0',
      currency_position: 'left',
      next_invoice_number: '1',
      next_estimate_number: '1',
      online_payments: '0',
      date_format: 'm/d/Y',
      time_format: 'h:i a',
      decimal_sep: '.',
      thousands_sep: ',',
      week_start: '1',
      workday_start: '09:00',
      workday_end: '17:00',
      working_days: '1,2,3,4,5',
      account_type: 'commercial',
      max_users: 4,
      current_users: 2,
      max_projects: null,
      current_projects: 2,
      max_invoices: null,
      current_invoices: 0,
    },
    clients: [
      client(1001, 'Blue Cross of Pennsylvania', 'Scranton', '2013-08-05T10:00:00Z'),
      client(1002, 'Lackawanna County', 'Scranton', '2013-09-12T14:30:00Z'),
      client(1003, 'Harper Collins', 'New York', '2014-02-20T09:15:00Z'),
      { ...client(1004, 'Prince Family Paper', 'Nashua', '2013-10-01T11:45:00Z'), active: false },
    ],
    sessions: [],
    projects: [
      project(28917, 'Scranton Paper Sales', 'SPS', 1001, [1, 2, 3], [1], '2014-12-01T09:00:00Z'),
      project(28918, 'Corporate Audit', 'AUD', 1003, [], [], '2014-12-02T09:00:00Z'),
    ],
    tasklists: [
      { id: 546, name: 'Sales Calls', seq: 0, project_id: 28917, milestone_id: null, created_on: '2014-12-01T09:05:00Z', updated_on: '2014-12-01T09:05:00Z' },
      { id: 547, name: 'Audit Prep', seq: 0, project_id: 28918, milestone_id: null, created_on: '2014-12-02T09:05:00Z', updated_on: '2014-12-02T09:05:00Z' },
    ],
    tasks: [
      task(241184, 'Call Blue Cross', 'SPS-1', 28917, 546, 1, [2], '2014-12-01T09:10:00Z'),
      task(241185, 'Count the inventory', 'AUD-1', 28918, 547, 1, [1], '2014-12-02T09:10:00Z'),
    ],
    entries: [
      {
        id: 15200864, project_id: 28917, task_id: 241184, user_id: 2, is_bulk: false, start_time: '2014-12-10T09:00:00Z',
        end_time: '2014-12-10T10:00:00Z', description: 'Talked to Susan on the phone.', added_manually: true, billed: false,
        invoice_item_id: null, created_on: '2014-12-10T10:00:05Z', updated_on: '2014-12-10T10:00:05Z',
      },
      {
        id: 15200865, project_id: 28918, task_id: 241185, user_id: 1, is_bulk: true, date: '2014-12-11', duration: 3600,
        description: 'Talked to Peter on the phone.', added_manually: true, billed: false, invoice_item_id: null,
        created_on: '2014-12-11T16:00:00Z', updated_on: '2014-12-11T16:00:00Z',
      },
    ],
    hooks: [],
  };
}

function project(id: number, name: string, code: string, clientId: number, users: number[], managers: number[], createdOn: string): PaymoProject {
  return {
    id, name, code, task_code_increment: 1, description: '', client_id: clientId, status_id: null, active: true, color: '#68BD73',
    users, managers, billable: true, flat_billing: false, price_per_hour: null, price: null, estimated_price: null,
    hourly_billing_mode: 'user', budget_hours: null, adjustable_hours: false, invoiced: false, invoice_item_id: null,
    workflow_id: null, created_on: createdOn, updated_on: createdOn,
  };
}

function task(id: number, name: string, code: string, projectId: number, tasklistId: number, userId: number, users: number[], createdOn: string): PaymoTask {
  return {
    id, name, code, project_id: projectId, tasklist_id: tasklistId, seq: 0, description: '', complete: false, completed_on: null,
    completed_by: null, due_date: null, user_id: userId, users, billable: true, flat_billing: false, price_per_hour: null,
    budget_hours: null, estimated_price: null, invoiced: false, invoice_item_id: null, priority: 50, status_id: null,
    created_on: createdOn, updated_on: createdOn,
  };
}

// Field order of the user example in Paymo's users.md, so responses read like the docs.
const USER_FIELD_ORDER = [
  'id', 'name', 'email', 'type', 'active', 'phone', 'skype', 'position', 'workday_hours', 'price_per_hour', 'image',
  'created_on', 'updated_on', 'timezone', 'date_format', 'decimal_sep', 'language', 'thousands_sep', 'time_format',
  'week_start', 'assigned_projects', 'managed_projects',
];

function inDocOrder(user: SeedUser): SeedUser {
  const ordered: Record<string, unknown> = {};
  for (const field of USER_FIELD_ORDER) if (field in user) ordered[field] = user[field];
  return Object.assign(ordered, user) as SeedUser;
}

function client(id: number, name: string, city: string, createdOn: string): PaymoClient {
  return {
    id,
    name,
    address: '',
    city,
    state: city === 'New York' ? 'NY' : city === 'Nashua' ? 'NH' : 'PA',
    postal_code: '',
    country: 'USA',
    phone: '',
    fax: '',
    email: '',
    website: '',
    active: true,
    fiscal_information: '',
    image: null,
    created_on: createdOn,
    updated_on: createdOn,
  };
}
