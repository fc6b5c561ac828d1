/** One of the fake's seeded demo users, with the credentials that sign in as them. */
export interface DemoAccount {
  readonly id: number;
  readonly name: string;
  readonly email: string;
  /** Password for HTTP Basic `email:password`. */
  readonly password: string;
  /** API key (44 alphanumerics, like real Paymo keys) for HTTP Basic `apiKey:anything`. */
  readonly apiKey: string;
  readonly type: 'Admin' | 'Employee' | 'Guest';
  /** Only on the archived account: archived users are refused with every credential. */
  readonly active?: false;
}

/**
 * The demo credentials of the default seed (names from Paymo's own doc examples). They are public test
 * fixtures, not secrets: never use them against the real Paymo.
 *
 * @example
 * const fake = await createFakePaymo();
 * const { email, password } = demoAccounts.admin;
 * await fetch(`${fake.url}/me`, { headers: { Authorization: `Basic ${btoa(`${email}:${password}`)}` } });
 */
export const demoAccounts = Object.freeze({
  admin: Object.freeze({
    id: 1,
    name: 'Michael Scott',
    email: 'michael@dundermifflin.com',
    password: 'worlds-best-boss',
    apiKey: 'PaymoFakeDemoAdminKeyQ6g5ooNSuKbyNP1yt1l8XZZ',
    type: 'Admin',
  }),
  employee: Object.freeze({
    id: 2,
    name: 'Dwight Schrute',
    email: 'dwight@dundermifflin.com',
    password: 'bears-beets-battlestar',
    apiKey: 'PaymoFakeDemoEmployeeKeydNnbljAawfJHScMW3cjJ',
    type: 'Employee',
  }),
  guest: Object.freeze({
    id: 3,
    name: 'Jan Levinson',
    email: 'jan@dundermifflin.com',
    password: 'serenity-by-jan',
    apiKey: 'PaymoFakeDemoGuestKeyRlWhTd7rGyEJ1EA0MBO9Fth',
    type: 'Guest',
  }),
  archived: Object.freeze({
    id: 4,
    name: 'Ryan Howard',
    email: 'ryan@dundermifflin.com',
    password: 'wuphf-dot-com',
    apiKey: 'PaymoFakeDemoArchivedKey9UisHt8Q99SbudF3ZE0z',
    type: 'Employee',
    active: false,
  }),
} as const satisfies Record<'admin' | 'employee' | 'guest' | 'archived', DemoAccount>);
