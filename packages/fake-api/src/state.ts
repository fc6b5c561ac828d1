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

/** @internal The fake's mutable data: users, sessions, company and clients. */
export class FakePaymoState {
  readonly users = new Map<number, SeedUser>();
  readonly sessions = new Map<string, StoredSession>();
  /** Ids of sessions ended by DELETE or revoke, so a later use is told apart from a made-up token. */
  readonly ended = new Set<string>();
  company: PaymoCompany;
  clients: PaymoClient[];

  constructor(seed: FakePaymoSeed, now: number, private readonly lifetimeMs: number) {
    for (const user of seed.users) {
      if (!Number.isInteger(user.id)) throw new TypeError('seed: every user needs an integer id');
      if (this.users.has(user.id)) throw new TypeError(`seed: duplicate user id ${user.id}`);
      this.users.set(user.id, clone(user));
    }
    this.company = clone(seed.company);
    this.clients = clone(seed.clients);
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

  publicUser(user: SeedUser): PaymoUser {
    const { password: _password, apiKey: _apiKey, ...rest } = clone(user);
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
