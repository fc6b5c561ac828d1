import { randomBytes } from 'node:crypto';
import { formatPaymoDate, parsePaymoDate } from './format.js';
import type { FakePaymoSeed, SeedSession, SeedUser } from './seed.js';
import type { PaymoClient, PaymoCompany, PaymoSession, PaymoUser } from './types.js';

/** @internal A session as the fake keeps it (times in epoch ms). */
export interface StoredSession {
  id: string;
  userId: number;
  ip: string;
  createdOn: number;
  updatedOn: number;
  expiresOn: number;
}

const clone = <T>(value: T): T => structuredClone(value);

/** @internal One stored object of a resource (projects, tasks, ...). */
export type Row = Record<string, unknown> & { id?: number };

/** @internal Resources kept as plain tables. */
export type TableName = 'projects' | 'tasklists' | 'tasks' | 'entries' | 'clients' | 'hooks';
const TABLES: TableName[] = ['projects', 'tasklists', 'tasks', 'entries', 'clients', 'hooks'];

// Fields the fake's rules read: a seed row with one of the wrong type would fail later, mid-request.
const SEED_FIELDS: Record<TableName, Record<string, 'integer' | 'integers' | 'text'>> = {
  projects: { users: 'integers', managers: 'integers' },
  tasklists: { project_id: 'integer' },
  tasks: { project_id: 'integer', tasklist_id: 'integer' },
  entries: { task_id: 'integer', user_id: 'integer' },
  clients: {},
  hooks: { owner_id: 'integer', target_url: 'text', event: 'text' },
};

function checkSeedRow(name: TableName, row: Row): void {
  for (const [field, type] of Object.entries(SEED_FIELDS[name])) {
    const value = row[field];
    if (value === undefined && name === 'projects') continue;
    const fits =
      type === 'integer' ? Number.isInteger(value) : type === 'text' ? typeof value === 'string' : Array.isArray(value) && value.every((item) => Number.isInteger(item));
    if (!fits) throw new TypeError(`seed: ${name} ${String(row.id)} needs ${field} (${type === 'integers' ? 'a list of integer ids' : type})`);
  }
}

/** @internal The fake's mutable data: users, sessions, company and clients. */
export class FakePaymoState {
  readonly users = new Map<number, SeedUser>();
  readonly sessions = new Map<string, StoredSession>();
  /** Ids of sessions ended by DELETE or revoke, so a later use is told apart from a made-up token. */
  readonly ended = new Set<string>();
  company: PaymoCompany;
  private readonly tables = new Map<TableName, Row[]>();
  private nextId = 1;

  constructor(seed: FakePaymoSeed, now: number, private readonly lifetimeMs: number) {
    for (const user of seed.users) {
      if (!Number.isInteger(user.id)) throw new TypeError('seed: every user needs an integer id');
      if (typeof user.email !== 'string' || !['Admin', 'Employee', 'Guest'].includes(user.type)) {
        throw new TypeError(`seed: user ${user.id} needs an email and a type of Admin, Employee or Guest`);
      }
      if (this.users.has(user.id)) throw new TypeError(`seed: duplicate user id ${user.id}`);
      this.users.set(user.id, clone(user));
    }
    this.company = clone(seed.company);
    for (const name of TABLES) {
      const rows = clone((seed[name] ?? []) as Row[]);
      for (const row of rows) {
        if (!Number.isInteger(row.id)) throw new TypeError(`seed: every ${name} row needs an integer id`);
        checkSeedRow(name, row);
        this.nextId = Math.max(this.nextId, (row.id as number) + 1);
      }
      this.tables.set(name, rows);
    }
    for (const session of seed.sessions) this.addSeedSession(session, now);
  }

  private addSeedSession(seed: SeedSession, now: number): void {
    if (typeof seed.id !== 'string' || seed.id === '') throw new TypeError('seed: every session needs a string id');
    if (!this.users.has(seed.user_id)) throw new TypeError(`seed: session ${seed.id.slice(0, 4)}… names unknown user ${seed.user_id}`);
    const time = (text: string | undefined, fallback: number): number => {
      if (text === undefined) return fallback;
      const ms = parsePaymoDate(text);
      if (Number.isNaN(ms)) throw new TypeError(`seed: '${text}' is not a Paymo datetime (YYYY-MM-DDTHH:MM:SSZ)`);
      return ms;
    };
    const createdOn = time(seed.created_on, now);
    this.sessions.set(seed.id, {
      id: seed.id,
      userId: seed.user_id,
      ip: seed.ip ?? '127.0.0.1',
      createdOn,
      updatedOn: time(seed.updated_on, createdOn),
      expiresOn: time(seed.expires_on, createdOn + this.lifetimeMs),
    });
  }

  /** The seeded clients (also a table). */
  get clients(): PaymoClient[] {
    return this.table('clients') as PaymoClient[];
  }

  /** @internal The live rows of a table (not a copy). */
  table(name: TableName): Row[] {
    return this.tables.get(name)!;
  }

  /** @internal A row by id, or a user's public object for `users`. */
  find(name: TableName | 'users', id: number): Row | undefined {
    if (name === 'users') {
      const user = this.users.get(id);
      return user && (this.publicUser(user) as Row);
    }
    return this.table(name).find((row) => row.id === id);
  }

  /** @internal Adds a row with a fresh id and timestamps. */
  insert(name: TableName, row: Row, now: number): Row {
    const stamp = formatPaymoDate(now);
    const stored: Row = { id: this.nextId++, ...row, created_on: stamp, updated_on: stamp };
    this.table(name).push(stored);
    return stored;
  }

  /** @internal Removes a row by id; returns it. */
  remove(name: TableName, id: number): Row | undefined {
    const rows = this.table(name);
    const index = rows.findIndex((row) => row.id === id);
    return index === -1 ? undefined : rows.splice(index, 1)[0];
  }

  publicUser(user: SeedUser): PaymoUser {
    const { password: _password, apiKey: _apiKey, ...rest } = clone(user);
    // Kept consistent with the projects' `users` and `managers` lists (READ users.md, projects.md).
    const projects = this.tables.get('projects');
    if (projects && projects.length > 0) {
      rest.assigned_projects = projects.filter((p) => ((p.users as number[] | undefined) ?? []).includes(user.id)).map((p) => p.id as number);
      rest.managed_projects = projects.filter((p) => ((p.managers as number[] | undefined) ?? []).includes(user.id)).map((p) => p.id as number);
    }
    return rest as PaymoUser;
  }

  userByApiKey(apiKey: string): SeedUser | undefined {
    for (const user of this.users.values()) if (user.apiKey !== undefined && user.apiKey === apiKey) return user;
    return undefined;
  }

  /** Users with that email, active ones first (emails are unique only among active users). */
  usersByEmail(email: string, caseSensitive: boolean): SeedUser[] {
    const wanted = caseSensitive ? email : email.toLowerCase();
    return [...this.users.values()]
      .filter((user) => (caseSensitive ? user.email : user.email.toLowerCase()) === wanted)
      .sort((a, b) => Number(b.active) - Number(a.active));
  }

  createSession(userId: number, ip: string, now: number): StoredSession {
    const session: StoredSession = {
      id: randomBytes(16).toString('hex'),
      userId,
      ip,
      createdOn: now,
      updatedOn: now,
      expiresOn: now + this.lifetimeMs,
    };
    this.sessions.set(session.id, session);
    return session;
  }

  endSession(id: string): boolean {
    const existed = this.sessions.delete(id);
    if (existed) this.ended.add(id);
    return existed;
  }

  isExpired(session: StoredSession, now: number): boolean {
    return now >= session.expiresOn;
  }

  sessionJson(session: StoredSession): PaymoSession {
    return {
      id: session.id,
      ip: session.ip,
      expires_on: formatPaymoDate(session.expiresOn),
      created_on: formatPaymoDate(session.createdOn),
      updated_on: formatPaymoDate(session.updatedOn),
      user_id: session.userId,
    };
  }
}
