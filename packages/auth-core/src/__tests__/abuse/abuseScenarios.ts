// The abuse suite (DESIGN.md section 9), written once and run through every server adapter: each
// limit is attacked with hundreds of real parallel connections, and the fake Paymo API counts what
// reached it. An adapter test file calls `describeAbuse('express 5', startApp)`.
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakePaymo, demoAccounts } from '@paymo/fake-api';
import { MemorySessionStore, type PaymoAuthOptions } from '@paymo/auth-core';
import { rawHttp } from '../rawHttp.js';
import { naughtyStrings } from './naughtyStrings.js';
import { send, signIn, type Answer } from '../scenarioHttp.js';

export type FakePaymo = Awaited<ReturnType<typeof createFakePaymo>>;

/** A running app: the adapter's auth routes plus `GET /api/me` and `GET /api/clients` (guarded). */
export interface AbuseApp {
  origin: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Starts the adapter's app in front of `fake` with these engine options, trusting X-Forwarded-For from
 * loopback (so a test can speak for many client IPs).
 */
export type StartAbuseApp = (fake: FakePaymo, auth: PaymoAuthOptions) => Promise<AbuseApp>;

const pick = (account: { email: string; password: string }) => ({ email: account.email, password: account.password });
const admin = pick(demoAccounts.admin);
const employee = pick(demoAccounts.employee);
const guestAccount = pick(demoAccounts.guest);

// Looser than Paymo's 5 requests per 5 s: these tests count how many attempts reach Paymo, and a fake
// answering 429 on its own would hide what the app's limits let through.
const LOOSE_QUOTA = { rateLimit: { limit: 100_000, decayPeriodSeconds: 10 } };

function basic(email: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${email}:${password}`).toString('base64')}` };
}

function upstreamCalls(fake: FakePaymo, method: string, path: string): number {
  return fake.countRequests({ method, path });
}

/** n distinct IPv4 client addresses in a documentation range. */
function addresses(n: number, base = 10): string[] {
  return Array.from({ length: n }, (_, i) => `198.${base}.${Math.floor(i / 250)}.${(i % 250) + 1}`);
}

/** One raw HTTP/1.1 request (header values as UTF-8 bytes); a request unanswered in 10 s counts as a hang. */
async function rawRequest(port: number, method: string, path: string, headers: Record<string, string>, body = ''): Promise<number> {
  const bytes = Buffer.from(body, 'utf8');
  const head = [`${method} ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Connection: close', `Content-Length: ${bytes.length}`]
    .concat(Object.entries(headers).map(([name, value]) => `${name}: ${value}`))
    .join('\r\n');
  const request = Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'utf8'), bytes]);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<number>((resolve) => (timer = setTimeout(() => resolve(-1), 10_000)));
  try {
    return await Promise.race([rawHttp(port, request).then((answer) => answer.status, () => 0), hang]);
  } finally {
    clearTimeout(timer);
  }
}

/** Percent-encodes every byte of a string's UTF-8 except unreserved characters (lone surrogates too). */
function pct(value: string): string {
  return [...Buffer.from(value, 'utf8')].map((byte) => (/[A-Za-z0-9._~-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).padStart(2, '0').toUpperCase()}`)).join('');
}

/** Runs `tasks` with at most `limit` in flight. */
async function pooled<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < tasks.length) {
        const index = next++;
        results[index] = await tasks[index]!();
      }
    }),
  );
  return results;
}

export function describeAbuse(name: string, startApp: StartAbuseApp): void {
  describe(`abuse: ${name}`, () => {
    const cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    async function start(auth: PaymoAuthOptions = {}, fakeOptions: Parameters<typeof createFakePaymo>[0] = LOOSE_QUOTA) {
      const fake = await createFakePaymo(fakeOptions);
      cleanups.push(() => fake.close());
      const app = await startApp(fake, { baseUrl: fake.url, now: () => fake.clock.now(), ...auth });
      cleanups.push(() => app.close());
      return { fake, app };
    }

    it('1. 300 parallel Basic guesses for one account from one IP: at most the account limit reach Paymo', async () => {
      const { fake, app } = await start();
      const answers = await Promise.all(
        Array.from({ length: 300 }, (_, i) => send(app, '/api/me', { headers: basic(admin.email, `wrong-${i}`), ip: '203.0.113.1' })),
      );
      expect(upstreamCalls(fake, 'GET', '/api/me')).toBeLessThanOrEqual(5);
      expect(answers.every((answer) => answer.status === 401 || answer.status === 429)).toBe(true);
      expect(answers.filter((answer) => answer.status === 429).length).toBeGreaterThanOrEqual(295);
      // The same holds for sign-in.
      const signIns = await Promise.all(
        Array.from({ length: 300 }, (_, i) => signIn(app, { email: employee.email, password: `wrong-${i}` }, '203.0.113.2')),
      );
      expect(upstreamCalls(fake, 'POST', '/api/sessions')).toBeLessThanOrEqual(5);
      expect(signIns.every((answer) => answer.status === 401 || answer.status === 429)).toBe(true);
    });

    it('2. a flood of distinct e-mails cannot evict a locked account or a blocked IP from a small store', async () => {
      const store = new MemorySessionStore({ maxEntries: 50 });
      cleanups.push(() => store.close());
      const { fake, app } = await start({ store, signInRateLimit: { perIp: 20, perAccount: 5 } });
      for (let i = 0; i < 5; i++) expect((await signIn(app, { email: admin.email, password: `wrong-${i}` }, '203.0.113.3')).status).toBe(401);
      // The attacker's own IP runs out too.
      await Promise.all(Array.from({ length: 20 }, (_, i) => signIn(app, { email: `x${i}@a.example`, password: 'x' }, '203.0.113.4')));
      expect((await signIn(app, { email: 'y@a.example', password: 'x' }, '203.0.113.4')).status).toBe(429);

      // 600 distinct e-mails from 600 addresses, all in flight at once.
      const ips = addresses(600);
      await Promise.all(ips.map((ip, i) => signIn(app, { email: `flood${i}@a.example`, password: 'x' }, ip)));

      const before = upstreamCalls(fake, 'POST', '/api/sessions');
      expect((await signIn(app, admin, '203.0.113.5')).status).toBe(429);
      expect((await send(app, '/api/me', { headers: basic(admin.email, admin.password), ip: '203.0.113.6' })).status).toBe(429);
      expect((await signIn(app, { email: 'z@a.example', password: 'x' }, '203.0.113.4')).status).toBe(429);
      expect(upstreamCalls(fake, 'POST', '/api/sessions')).toBe(before);
      // And no innocent user is locked out by the flood: another account from another address signs in.
      expect((await signIn(app, employee, '203.0.113.99')).status).toBe(200);
      expect((await signIn(app, { email: 'innocent@a.example', password: 'x' }, '203.0.113.98')).status).toBe(401);
    });

    it('3. floods of sign-ins by one account and of bad Basic credentials do not evict other users\' sessions', async () => {
      const store = new MemorySessionStore({ maxEntries: 40 });
      cleanups.push(() => store.close());
      const { app } = await start({ store, signInRateLimit: { perIp: 1_000, perAccount: 1_000 } });
      const victim = await signIn(app, employee, '203.0.113.7');
      expect(victim.status).toBe(200);

      // One valid account signing in 200 times, 100 at a time.
      const ips = addresses(200, 20);
      const attacker: Array<Answer & { cookie: string }> = [];
      for (let round = 0; round < 2; round++) {
        attacker.push(...(await Promise.all(ips.slice(round * 100, round * 100 + 100).map((ip) => signIn(app, admin, ip)))));
      }
      expect(attacker.map((answer) => answer.status).filter((status) => status !== 200)).toEqual([]);
      expect((await send(app, '/api/me', { cookie: victim.cookie })).status).toBe(200);
      // Concurrent sign-ins each cap from their own listing: never fewer than the cap of 10 survive, and
      // briefly a few more may; the next sign-in's cap, seeing them all, trims to exactly 10.
      const liveOf = async (answers: Array<{ cookie: string }>) =>
        (await Promise.all(answers.map((answer) => send(app, '/api/me', { cookie: answer.cookie })))).filter((answer) => answer.status === 200).length;
      const survivors = await liveOf(attacker);
      expect(survivors).toBeGreaterThanOrEqual(10);
      expect(survivors).toBeLessThan(60);
      const next = await signIn(app, admin, '203.0.113.9');
      expect(next.status).toBe(200);
      expect(await liveOf([...attacker, next])).toBe(10);

      // 400 distinct bad Basic credentials from 400 addresses, all in flight at once.
      const bad = addresses(400, 30);
      const answers = await Promise.all(bad.map((ip, i) => send(app, '/api/me', { headers: basic(`u${i}@a.example`, 'x'), ip })));
      expect([...new Set(answers.map((answer) => `${answer.status} ${answer.json?.error?.code}${answer.status === 401 ? '' : ` ${answer.json?.error?.message}`}`))]).toEqual(['401 INVALID_CREDENTIALS']);
      expect((await send(app, '/api/me', { cookie: victim.cookie })).status).toBe(200);
    });

    it('4. Paymo 429s count, and while Paymo rate limits an account its attempts are answered here', async () => {
      const { fake, app } = await start();
      fake.faults.inject({ status: 429, retryAfter: 30, method: 'POST', path: '/api/sessions' });
      const first = await signIn(app, admin, '203.0.113.8');
      expect(first.status).toBe(429);
      expect(upstreamCalls(fake, 'POST', '/api/sessions')).toBe(1);
      fake.faults.clear();

      // Within Paymo's window, 200 parallel attempts from any address stay local.
      const answers = await Promise.all(addresses(200, 40).map((ip) => signIn(app, admin, ip)));
      expect(answers.every((answer) => answer.status === 429)).toBe(true);
      expect(answers.every((answer) => Number(answer.headers.get('retry-after')) > 0)).toBe(true);
      expect(upstreamCalls(fake, 'POST', '/api/sessions')).toBe(1);
      // After it, the account signs in again (one attempt was charged, far from the limit).
      fake.clock.advance(31_000);
      expect((await signIn(app, admin, '203.0.113.11')).status).toBe(200);

      // Parallel attempts that all meet Paymo's 429 keep their charges: at most the limit reach Paymo.
      fake.faults.inject({ status: 429, retryAfter: 30, method: 'GET', path: '/api/me' });
      const meBefore = upstreamCalls(fake, 'GET', '/api/me');
      const passes = await Promise.all(
        Array.from({ length: 200 }, (_, i) => send(app, '/api/me', { headers: basic(employee.email, `guess-${i}`), ip: '203.0.113.10' })),
      );
      expect(passes.every((answer) => answer.status === 429)).toBe(true);
      // How many reach Paymo before its first 429 comes back depends on timing (1 to the limit of 5);
      // after that first 429 the rest are answered here without a charge.
      const reached = upstreamCalls(fake, 'GET', '/api/me') - meBefore;
      expect(reached).toBeGreaterThanOrEqual(1);
      expect(reached).toBeLessThanOrEqual(5);
      fake.faults.clear();
      fake.clock.advance(31_000);
      // Each attempt that met the 429 kept its charge: the account has exactly 5 - reached guesses left.
      for (let i = reached; i < 5; i++) {
        expect((await send(app, '/api/me', { headers: basic(employee.email, `late-guess-${i}`), ip: `203.0.113.${40 + i}` })).status).toBe(401);
      }
      const calls = upstreamCalls(fake, 'GET', '/api/me');
      expect((await send(app, '/api/me', { headers: basic(employee.email, employee.password), ip: '203.0.113.15' })).status).toBe(429);
      expect(upstreamCalls(fake, 'GET', '/api/me')).toBe(calls);
    });

    it('5. an IP over its limit is refused without charging the accounts it names', async () => {
      const { fake, app } = await start({ signInRateLimit: { perIp: 20, perAccount: 5 } });
      await Promise.all(Array.from({ length: 20 }, (_, i) => signIn(app, { email: `n${i}@a.example`, password: 'x' }, '203.0.113.12')));
      const before = upstreamCalls(fake, 'POST', '/api/sessions');
      const refused = await Promise.all(
        Array.from({ length: 200 }, (_, i) => signIn(app, { email: admin.email, password: `wrong-${i}` }, '203.0.113.12')),
      );
      expect(refused.every((answer) => answer.status === 429)).toBe(true);
      expect(upstreamCalls(fake, 'POST', '/api/sessions')).toBe(before);
      expect((await signIn(app, admin, '203.0.113.13')).status).toBe(200);
      expect((await send(app, '/api/me', { headers: basic(admin.email, admin.password), ip: '203.0.113.14' })).status).toBe(200);
    });

    it('6. sign-in and pass-through share one failure budget per account', async () => {
      const { fake, app } = await start({ signInRateLimit: { perIp: 100, perAccount: 5 } });
      for (let i = 0; i < 3; i++) expect((await signIn(app, { email: admin.email, password: `wrong-${i}` }, `203.0.113.${20 + i}`)).status).toBe(401);
      for (let i = 0; i < 2; i++) {
        expect((await send(app, '/api/me', { headers: basic(admin.email, `wrong-b${i}`), ip: `203.0.113.${30 + i}` })).status).toBe(401);
      }
      const before = upstreamCalls(fake, 'POST', '/api/sessions') + upstreamCalls(fake, 'GET', '/api/me');
      expect((await signIn(app, admin, '203.0.113.40')).status).toBe(429);
      expect((await send(app, '/api/me', { headers: basic(admin.email, admin.password), ip: '203.0.113.41' })).status).toBe(429);
      expect(upstreamCalls(fake, 'POST', '/api/sessions') + upstreamCalls(fake, 'GET', '/api/me')).toBe(before);
    });

    it('8. Host values never produce a 5xx, and routing follows the request path, not Host', async () => {
      const { app } = await start();
      // RFC 9110 7.2 / RFC 3986 3.2.2: these are not a plain host[:port] and must get a 4xx.
      const invalidHosts = [
        'x@evil.example', `127.0.0.1:${app.port}@evil.example`, `127.0.0.1/auth/session?`, '127.0.0.1/auth/session#',
        'evil.example/..', '[::1', '[::1]:99999', 'a b', 'a\tb', ':80', 'exa mple.com', 'example.com:-1',
        'example.com:65536', '.', '..', 'a..b', '-a.example', 'a-.example', '[v1.fe80::a+en1]', '[fe80::1%25en0]',
        '%65xample.com', 'exam%2Fple', 'a\\b', "a'b", 'a"b', 'a<b>', '\u00e9.example', 'x'.repeat(300), 'user:pass@', '@',
        'http://evil.example', '//evil.example',
      ];
      // Odd but valid: served normally (never a 5xx).
      const validHosts = ['', 'EXAMPLE.COM', 'example.com.', 'example.com:', 'example.com:0080', 'my_service:3000', '[::1]:80', `${'a.'.repeat(100)}example`];
      const hosts = [...invalidHosts, ...validHosts];
      const paths = ['/auth/session', '/auth/sign-in', '/auth/sign-out', '/auth/sessions', '/auth/sign-out-everywhere', '/auth/nope'];
      const requests = hosts.flatMap((host) =>
        paths.map(async (path) => {
          const method = path === '/auth/session' || path === '/auth/sessions' || path === '/auth/nope' ? 'GET' : 'POST';
          const body = method === 'POST' ? '{}' : '';
          const raw = `${method} ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
          const answer = await rawHttp(app.port, Buffer.from(raw, 'latin1'));
          return { host, path, status: answer.status, text: answer.text };
        }),
      );
      // Two Host headers, which RFC 9110 answers with 400.
      requests.push(
        rawHttp(app.port, `GET /auth/session HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\nConnection: close\r\n\r\n`).then((answer) => ({
          host: 'a.example + b.example',
          path: '/auth/session',
          status: answer.status,
          text: answer.text,
        })),
      );
      const answers = await Promise.all(requests);
      for (const answer of answers) {
        expect(answer.status, `${answer.host} ${answer.path}`).toBeGreaterThan(0);
        expect(answer.status, `${answer.host} ${answer.path}`).toBeLessThan(500);
        if (invalidHosts.includes(answer.host)) expect(answer.status, `${answer.host} ${answer.path}`).toBeGreaterThanOrEqual(400);
        if (validHosts.includes(answer.host) && answer.path === '/auth/session') expect(answer.status, `${answer.host}: ${answer.text.slice(-200)}`).toBe(200);
      }
      const misrouted = answers.filter((answer) => answer.path === '/auth/nope' && answer.text.includes('"session"'));
      expect(misrouted).toEqual([]);
      const nope = await rawHttp(app.port, `GET /auth/nope HTTP/1.1\r\nHost: 127.0.0.1/auth/session?\r\nConnection: close\r\n\r\n`);
      expect(nope.status).toBeGreaterThanOrEqual(400);
      expect(nope.text).not.toContain('"session"');
    });

    it('9. a record forged in the store is re-checked, never served as another user, and a broken token is a typed 401', async () => {
      const store = new MemorySessionStore();
      cleanups.push(() => store.close());
      const { fake, app } = await start({ store });
      const guest = await signIn(app, guestAccount, '203.0.113.50');
      expect(guest.status).toBe(200);
      const key = `sess:${createHash('sha256').update(guest.cookie.slice(guest.cookie.indexOf('=') + 1)).digest('base64url')}`;
      const record = JSON.parse((await store.get(key))!);
      const later = fake.clock.now() + 365 * 86_400_000;
      await store.set(key, JSON.stringify({ ...record, user: { ...record.user, id: 1, name: 'Forged Admin' }, lastCheckedAt: later }), 3_600_000);

      const answers = await Promise.all(Array.from({ length: 50 }, () => send(app, '/api/me', { cookie: guest.cookie })));
      expect(answers.every((answer) => answer.status === 401)).toBe(true);
      expect(JSON.stringify(answers.map((answer) => answer.json))).not.toContain('Forged Admin');
      expect(await store.get(key)).toBeNull();

      // A token field that does not open: a typed JSON 401 from the app's own Paymo call, no stack.
      const other = await signIn(app, employee, '203.0.113.51');
      const otherKey = `sess:${createHash('sha256').update(other.cookie.slice(other.cookie.indexOf('=') + 1)).digest('base64url')}`;
      const otherRecord = JSON.parse((await store.get(otherKey))!);
      await store.set(otherKey, JSON.stringify({ ...otherRecord, token: 'AAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBB' }), 3_600_000);
      const broken = await send(app, '/api/clients', { cookie: other.cookie });
      expect(broken.status).toBe(401);
      expect(broken.json.error.code).toBe('SESSION_EXPIRED');
      expect(JSON.stringify(broken.json)).not.toMatch(/OperationError|at .*\.js/);
    });

    it('9b. with a secret, a record written by anyone else is ignored', async () => {
      const store = new MemorySessionStore();
      cleanups.push(() => store.close());
      const { app } = await start({ store, secret: 'x'.repeat(40) });
      const guest = await signIn(app, guestAccount, '203.0.113.52');
      expect((await send(app, '/api/me', { cookie: guest.cookie })).status).toBe(200);
      const key = `sess:${createHash('sha256').update(guest.cookie.slice(guest.cookie.indexOf('=') + 1)).digest('base64url')}`;
      const stored = (await store.get(key))!;
      expect(stored).toMatch(/^[A-Za-z0-9_-]{43}\./);
      const record = JSON.parse(stored.slice(44));
      await store.set(key, `${stored.slice(0, 44)}${JSON.stringify({ ...record, user: { ...record.user, id: 1 } })}`, 3_600_000);
      const answer = await send(app, '/api/me', { cookie: guest.cookie });
      expect(answer.status).toBe(401);
    });

    it(`answers ${naughtyStrings.length} naughty strings in every field a client controls with a 2xx/4xx, never a 5xx or a hang`, async () => {
      // Limits far out of the way, so that each string reaches the deepest code that reads its field.
      const { app } = await start({ signInRateLimit: { perIp: 1_000_000, perAccount: 1_000_000 } });
      const json = { 'Content-Type': 'application/json' };
      const fields: Array<[field: string, request: (value: string) => [method: string, path: string, headers: Record<string, string>, body?: string]]> = [
        ['sign-in email and password', (v) => ['POST', '/auth/sign-in', json, JSON.stringify({ email: v, password: v })]],
        ['sign-in apiKey', (v) => ['POST', '/auth/sign-in', json, JSON.stringify({ apiKey: v })]],
        ['sign-in raw body', (v) => ['POST', '/auth/sign-in', json, v]],
        ['X-Session', (v) => ['GET', '/api/me', { 'X-Session': v }]],
        ['Authorization', (v) => ['GET', '/api/me', { Authorization: v }]],
        ['Basic user and password', (v) => ['GET', '/api/me', { Authorization: `Basic ${Buffer.from(`${v}:${v}`).toString('base64')}` }]],
        ['session cookie', (v) => ['GET', '/auth/session', { Cookie: `paymo.sid=${v}` }]],
        ['whole Cookie header', (v) => ['GET', '/api/me', { Cookie: v }]],
        ['Origin', (v) => ['POST', '/auth/sign-out', { ...json, Origin: v }, '{}']],
        ['Sec-Fetch-Site', (v) => ['POST', '/auth/sign-out', { ...json, 'Sec-Fetch-Site': v }, '{}']],
        ['Content-Type', (v) => ['POST', '/auth/sign-in', { 'Content-Type': v }, '{}']],
        ['X-Forwarded-For', (v) => ['POST', '/auth/sign-in', { ...json, 'X-Forwarded-For': v }, JSON.stringify({ apiKey: 'x' })]],
        ['X-Forwarded-Proto', (v) => ['GET', '/auth/session', { 'X-Forwarded-Proto': v }]],
        ['auth path', (v) => ['GET', `/auth/${pct(v)}`, {}]],
        ['query', (v) => ['GET', `/auth/session?${pct(v)}=${pct(v)}`, {}]],
        ['app path', (v) => ['GET', `/api/me/${pct(v)}`, {}]],
      ];
      const tasks = fields.flatMap(([field, build]) =>
        naughtyStrings.map((value) => async () => {
          const [method, path, headers, body] = build(value);
          return { field, value, status: await rawRequest(app.port, method, path, headers, body) };
        }),
      );
      const answers = await pooled(tasks, 64);
      const bad = answers.filter((answer) => answer.status < 200 || answer.status >= 500);
      expect(bad.map((answer) => `${answer.field} ${JSON.stringify(answer.value.slice(0, 40))} -> ${answer.status}`)).toEqual([]);
    }, 180_000);

    it('10. a body that does not inflate (Content-Encoding: gzip, plain bytes) answers the typed 400', async () => {
      const { app } = await start();
      const body = JSON.stringify({ email: admin.email, password: admin.password });
      const raw = `POST /auth/sign-in HTTP/1.1\r\nHost: 127.0.0.1:${app.port}\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`;
      const answer = await rawHttp(app.port, raw);
      expect(answer.status).toBe(400);
      const json = JSON.parse(answer.text.slice(answer.text.indexOf('\r\n\r\n') + 4));
      expect(json.error.code).toBe('BAD_REQUEST');
      expect(answer.text).not.toContain(admin.password);
    });
  });
}
