import { demoAccounts } from './demoAccounts.js';
import type { PaymoClient, PaymoCompany, PaymoSession, PaymoUser } from './types.js';

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
      timezone: 'US/Eastern',
      default_currency: 'USD',
      account_type: 'commercial',
      max_users: 4,
      current_users: 2,
      max_projects: null,
      current_projects: 1,
      max_invoices: null,
      current_invoices: 0,
      created_on: '2013-08-01T13:09:16Z',
      updated_on: '2015-01-06T19:53:51Z',
    },
    clients: [
      client(1001, 'Blue Cross of Pennsylvania', 'Scranton', '2013-08-05T10:00:00Z'),
      client(1002, 'Lackawanna County', 'Scranton', '2013-09-12T14:30:00Z'),
      client(1003, 'Harper Collins', 'New York', '2014-02-20T09:15:00Z'),
      { ...client(1004, 'Prince Family Paper', 'Nashua', '2013-10-01T11:45:00Z'), active: false },
    ],
    sessions: [],
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
