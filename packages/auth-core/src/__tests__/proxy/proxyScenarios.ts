// The Paymo proxy (`ANY {basePath}/paymo/<path>`, DESIGN.md sections 5 and 11), written once and run
// through every server adapter over real HTTP to the fake Paymo API.
import { afterEach, describe, expect, it } from 'vitest';
import { createFakePaymo, demoAccounts } from '@paymo/fake-api';
import type { PaymoAuthOptions } from '@paymo/auth-core';
import type { AbuseApp, StartAbuseApp } from '../abuse/abuseScenarios.js';
import { rawHttp } from '../rawHttp.js';
import { send, signIn } from '../scenarioHttp.js';

const pick = (account: { email: string; password: string }) => ({ email: account.email, password: account.password });
const admin = pick(demoAccounts.admin);
const employee = pick(demoAccounts.employee);

const allow = ['GET clients', 'GET clients/:id', 'GET users', 'GET users/:id', 'GET company', 'GET me', 'POST clients', 'DELETE clients/:id'];

/** Signs in and resolves the session cookie (`name=value`). */
async function signInCookie(app: AbuseApp, credentials: object): Promise<string> {
  const answer = await signIn(app, credentials);
  expect(answer.status).toBe(200);
  return answer.cookie;
}

export function describeProxy(name: string, startApp: StartAbuseApp): void {
  describe(`Paymo proxy: ${name}`, () => {
    const cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    async function start(auth: PaymoAuthOptions = {}, fakeOptions: Parameters<typeof createFakePaymo>[0] = {}) {
      const fake = await createFakePaymo(fakeOptions);
      cleanups.push(() => fake.close());
      const app = await startApp(fake, { baseUrl: fake.url, now: () => fake.clock.now(), ...auth });
      cleanups.push(() => app.close());
      return { fake, app };
    }

    it('forwards nothing by default: 403 PROXY_FORBIDDEN, and no call to Paymo', async () => {
      const { fake, app } = await start();
      const cookie = await signInCookie(app, admin);
      fake.resetRequests();
      const answer = await send(app, '/auth/paymo/clients', { cookie });
      expect(answer.status).toBe(403);
      expect(answer.json.error.code).toBe('PROXY_FORBIDDEN');
      expect(fake.countRequests()).toBe(0);
    });

    it('forwards an allowed GET as the signed-in user: Paymo\'s status and JSON body, our headers only, no token', async () => {
      const { fake, app } = await start({ proxy: { allow } });
      const cookie = await signInCookie(app, admin);
      const answer = await send(app, '/auth/paymo/clients', { cookie });
      expect(answer.status).toBe(200);
      const direct = await fetch(`${fake.url}/clients`, { headers: { authorization: `Basic ${Buffer.from(`${demoAccounts.admin.apiKey}:x`).toString('base64')}` } });
      expect(answer.json).toEqual(await direct.json());
      expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(answer.headers.get('set-cookie')).toBeNull();
      expect(answer.headers.get('x-session')).toBeNull();
      expect([...answer.headers.keys()].filter((header) => header.startsWith('x-ratelimit'))).toEqual([]);
      expect(Number(answer.headers.get('ratelimit-limit'))).toBeGreaterThan(0);
      expect(answer.headers.get('ratelimit-remaining')).toMatch(/^\d+$/);

      const one = await send(app, `/auth/paymo/clients/${answer.json.clients[0].id}`, { cookie });
      expect(one.status).toBe(200);
      expect(one.json.clients[0].id).toBe(answer.json.clients[0].id);
      // Paymo's own 404 keeps its status, in our error shape.
      const missing = await send(app, '/auth/paymo/clients/999999', { cookie });
      expect(missing.status).toBe(404);
      expect(missing.json.error.code).toBe('UPSTREAM_ERROR');

      const tokens = fake.sessions.list().map((session) => session.id);
      const secrets = [...tokens, ...Object.values(demoAccounts).flatMap((account) => [account.password, account.apiKey])];
      for (const seen of [answer, one, missing]) {
        const everything = `${seen.text}\n${[...seen.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}`;
        for (const secret of secrets) expect(everything).not.toContain(secret);
      }
    });

    it('answers 401 signed out, and forwards the query parameters Paymo documents (400 for others)', async () => {
      const { fake, app } = await start({ proxy: { allow } });
      const signedOut = await send(app, '/auth/paymo/clients');
      expect(signedOut.status).toBe(401);
      const cookie = await signInCookie(app, admin);
      const all = (await send(app, '/auth/paymo/clients', { cookie })).json.clients as Array<{ id: number; name: string }>;
      const first = all[0]!;
      const where = encodeURIComponent(`id=${first.id}`);
      const filtered = await send(app, `/auth/paymo/clients?where=${where}`, { cookie });
      expect(filtered.status).toBe(200);
      expect(filtered.json.clients.map((client: { id: number }) => client.id)).toEqual([first.id]);
      fake.resetRequests();
      for (const query of ['?foo=1', '?page=abc', '?where=a&where=b', `?include=${'x'.repeat(3000)}`, '?where=%00']) {
        const refused = await send(app, `/auth/paymo/clients${query}`, { cookie });
        expect(refused.status, query).toBe(400);
        expect(refused.json.error.code, query).toBe('BAD_REQUEST');
      }
      expect(fake.countRequests()).toBe(0);
    });

    it('refuses methods and paths off the list, and every path trick, without calling Paymo', async () => {
      const { fake, app } = await start({ proxy: { allow } });
      const cookie = await signInCookie(app, admin);
      fake.resetRequests();
      const offList: Array<[string, string]> = [
        ['POST', '/auth/paymo/users'], ['PUT', '/auth/paymo/clients/1'], ['GET', '/auth/paymo/sessions'], ['GET', '/auth/paymo/clients/abc'],
        ['GET', '/auth/paymo/projects'], ['DELETE', '/auth/paymo/users/1'],
      ];
      for (const [method, path] of offList) {
        const answer = await send(app, path, { method, cookie, ...(method === 'GET' || method === 'DELETE' ? {} : { json: {} }) });
        expect(answer.status, `${method} ${path}`).toBe(403);
        expect(answer.json.error.code, `${method} ${path}`).toBe('PROXY_FORBIDDEN');
      }
      expect((await send(app, '/auth/paymo/clients', { method: 'PATCH', cookie })).status).toBe(405);

      const tricks = [
        '/auth/paymo/clients/../sessions', '/auth/paymo/../sessions', '/auth/paymo/clients/%2e%2e/sessions', '/auth/paymo/clients%2F..%2Fsessions',
        '/auth/paymo/clients%2fsessions', '/auth/paymo//clients', '/auth/paymo/clients//1', '/auth/paymo/clients/', '/auth/paymo/',
        '/auth/paymo/http://evil.example/api/clients', '/auth/paymo/https:%2F%2Fevil.example%2Fapi%2Fclients', '/auth/paymo//evil.example/api/clients',
        '/auth/paymo/evil.example/clients', '/auth/paymo/127.0.0.1:22/clients', '/auth/paymo/clients@evil.example', '/auth/paymo/clients\\..\\sessions',
        '/auth/paymo/%63lients', '/auth/paymo/clients/1%00', '/auth/paymo/clients/./1', '/auth/paymo/./clients', '/auth/paymo/clients;jsessionid=1',
        '/auth/paymo/clients/1.json', '/auth/paymo/CLIENTS/../clients',
        // Aimed at allowed targets: refused as tricks, not merely for landing off the list.
        '/auth/paymo/users/../clients', '/auth/paymo/users\\..\\clients', '/auth/paymo/users/%2e%2e/clients', '/auth/paymo/x/../me',
      ];
      for (const path of tricks) {
        const answer = await rawHttp(app.port, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${app.port}\r\nCookie: ${cookie}\r\nConnection: close\r\n\r\n`);
        expect(answer.status, path).toBeGreaterThanOrEqual(400);
        expect(answer.status, path).toBeLessThan(500);
      }
      expect(fake.requests.map((entry) => `${entry.method} ${entry.path}`)).toEqual([]);
    });

    it('never forwards Paymo sessions (a session id is its token), whatever the list says', async () => {
      await expect(start({ proxy: { allow: ['GET sessions'] } })).rejects.toThrow(/sessions are never proxied/);
      const { fake, app } = await start({ proxy: { allow: ['GET *', 'GET */:id'] } });
      const cookie = await signInCookie(app, admin);
      fake.resetRequests();
      for (const path of ['/auth/paymo/sessions', '/auth/paymo/Sessions', '/auth/paymo/sessions/1']) {
        const answer = await send(app, path, { cookie });
        expect(answer.status, path).toBe(403);
        expect(answer.json.error.code, path).toBe('PROXY_FORBIDDEN');
      }
      expect(fake.countRequests()).toBe(0);
      expect((await send(app, '/auth/paymo/clients', { cookie })).status).toBe(200);
    });

    it('answers a Paymo 204 without a body, never a 500', async () => {
      const { fake, app } = await start({ proxy: { allow } });
      const cookie = await signInCookie(app, admin);
      fake.faults.inject({ status: 204, times: 1, method: 'GET', path: '/api/clients' });
      const answer = await send(app, '/auth/paymo/clients', { cookie });
      expect(answer.status).toBe(204);
      expect(answer.text).toBe('');
    });

    it('refuses a cross-site write before Paymo sees it, and forwards a same-origin one', async () => {
      const { fake, app } = await start({ proxy: { allow } });
      const cookie = await signInCookie(app, admin);
      fake.resetRequests();
      const crossOrigin = await send(app, '/auth/paymo/clients', { method: 'POST', cookie, json: { name: 'Evil Corp' }, headers: { origin: 'https://evil.example' } });
      expect(crossOrigin.status).toBe(403);
      expect(crossOrigin.json.error.code).toBe('CSRF_REJECTED');
      const crossSite = await send(app, '/auth/paymo/clients/1', { method: 'DELETE', cookie, headers: { 'sec-fetch-site': 'cross-site' } });
      expect(crossSite.status).toBe(403);
      const form = await fetch(`${app.origin}/auth/paymo/clients`, { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=x' });
      expect(form.status).toBe(415);
      expect(fake.countRequests()).toBe(0);

      const sameOrigin = await send(app, '/auth/paymo/clients', { method: 'POST', cookie, json: { name: 'Vance Refrigeration' }, headers: { origin: app.origin } });
      // Paymo's own answer, whatever it is (the fake may not implement writes): it was forwarded.
      expect(sameOrigin.status).toBeLessThan(500);
      expect(fake.countRequests({ method: 'POST', path: '/api/clients' })).toBe(1);
    });

    it('serves a page\'s burst of 12 distinct queries at Paymo\'s default quota with no 429 from Paymo', async () => {
      // The fake's default quota (Paymo's: 5 requests per 5 s per user): the client holds what does not
      // fit in the window instead of sending it into a 429.
      const { fake, app } = await start({ proxy: { allow: [...allow, 'GET projects', 'GET projects/:id', 'GET tasks', 'GET tasklists', 'GET entries'] } });
      const cookie = await signInCookie(app, admin);
      fake.resetRequests();
      const paths = ['clients', 'users', 'company', 'me', 'projects', 'tasks', 'tasklists', 'entries', 'clients/1001', 'clients/1002', 'users/1', 'projects/28917'];
      const answers = await Promise.all(paths.map((path) => send(app, `/auth/paymo/${path}`, { cookie })));
      expect(answers.map((answer, i) => `${paths[i]} ${answer.status}`)).toEqual(paths.map((path) => `${path} 200`));
      expect(fake.requests.filter((entry) => entry.status === 429)).toEqual([]);
    }, 60_000);

    it('answers 429 with Retry-After when Paymo rate limits the user past the wait', async () => {
      const { fake, app } = await start({ proxy: { allow } });
      const cookie = await signInCookie(app, employee);
      fake.faults.inject({ status: 429, retryAfter: 600, method: 'GET', path: '/api/users' });
      const answer = await send(app, '/auth/paymo/users', { cookie });
      expect(answer.status).toBe(429);
      expect(answer.json.error.code).toBe('RATE_LIMITED');
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
      // The session is untouched by Paymo's quota.
      expect((await send(app, '/auth/session', { cookie })).json.session.user.email).toBe(employee.email);
    });
  });
}
