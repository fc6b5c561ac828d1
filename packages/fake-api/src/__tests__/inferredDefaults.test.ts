// Every INFERRED behaviour: its default, and the option that changes it.
import { describe, expect, it } from 'vitest';
import { createFakePaymo, type FakePaymo } from '../createFakePaymo.js';
import type { FakePaymoOptions } from '../options.js';
import { adminKey, adminPassword, basic, call, createSession, DAY_MS, demoAccounts, employeeKey, employeePassword, rawGet, useFake } from './support.js';

async function withFake(options: FakePaymoOptions, run: (fake: FakePaymo) => Promise<void>): Promise<void> {
  const fake = await createFakePaymo(options);
  try {
    await run(fake);
  } finally {
    await fake.close();
  }
}

describe('INFERRED defaults', () => {
  const fake = useFake();

  it('missing credentials: 401 with {"message"} and no WWW-Authenticate', async () => {
    const response = await call(fake(), '/me');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBeNull();
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['message']);
    expect(typeof body.message).toBe('string');
  });

  it('wrong password and unknown API key: 401 {"message"}', async () => {
    for (const headers of [basic(demoAccounts.admin.email, 'wrong'), basic('not-a-key-and-not-an-email', 'x'), basic('nobody@example.com', 'x')]) {
      const response = await call(fake(), '/me', { headers });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ message: expect.any(String) });
    }
  });

  it('an unknown X-Session: 401', async () => {
    const response = await call(fake(), '/me', { headers: { 'X-Session': 'abcdef01234567890' } });
    expect(response.status).toBe(401);
    expect(fake().requests.at(-1)?.reason).toBe('unknown_session');
  });

  it('GET /api/me answers {"users":[<current user>]} like GET /api/users/:id', async () => {
    const me = await (await call(fake(), '/me', { headers: employeeKey() })).json();
    const byId = await (await call(fake(), `/users/${demoAccounts.employee.id}`, { headers: employeeKey() })).json();
    expect(me).toEqual(byId);
  });

  it('POST /api/sessions: 201 with an absolute Location of the new session', async () => {
    const { response, token } = await createSession(fake(), adminPassword());
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe(`${fake().url}/sessions/${token}`);
  });

  it('a new session expires 31 days after it was created', async () => {
    const { body } = await createSession(fake(), adminPassword());
    const session = body.sessions[0]!;
    expect(Date.parse(String(session.expires_on)) - Date.parse(String(session.created_on))).toBe(31 * DAY_MS);
  });

  it('using a session does not push its expiry forward', async () => {
    const { token, body } = await createSession(fake(), adminPassword());
    fake().clock.advance(DAY_MS);
    await call(fake(), '/me', { headers: { 'X-Session': token } });
    expect(fake().sessions.get(token)?.expires_on).toBe(body.sessions[0]!.expires_on);
    expect(fake().sessions.get(token)?.updated_on).toBe(body.sessions[0]!.updated_on);
  });

  it('X-Session and Basic both sent: X-Session decides', async () => {
    const { token } = await createSession(fake(), employeePassword());
    const response = await call(fake(), '/me', { headers: { 'X-Session': token, ...adminKey() } });
    expect(((await response.json()) as { users: Array<{ id: number }> }).users[0]?.id).toBe(demoAccounts.employee.id);
    const bad = await call(fake(), '/me', { headers: { 'X-Session': 'f'.repeat(32), ...adminKey() } });
    expect(bad.status).toBe(401);
  });

  it('a request authenticated by X-Session cannot create a session (401)', async () => {
    const { token } = await createSession(fake(), adminPassword());
    const response = await call(fake(), '/sessions', { method: 'POST', headers: { 'X-Session': token } });
    expect(response.status).toBe(401);
    expect(fake().requests.at(-1)?.reason).toBe('session_cannot_create_session');
    expect(fake().sessions.list()).toHaveLength(1);
  });

  it('GET /api/sessions/:id: 404 for an unknown id and for another user\'s session', async () => {
    const { token: dwights } = await createSession(fake(), employeePassword());
    expect((await call(fake(), `/sessions/${'0'.repeat(32)}`, { headers: adminKey() })).status).toBe(404);
    const other = await call(fake(), `/sessions/${dwights}`, { headers: adminKey() });
    expect(other.status).toBe(404);
    expect(await other.json()).toEqual({ message: expect.any(String) });
  });

  it('DELETE /api/sessions/:id of another user\'s session: 404, and that session lives on', async () => {
    const { token: dwights } = await createSession(fake(), employeePassword());
    expect((await call(fake(), `/sessions/${dwights}`, { method: 'DELETE', headers: adminKey() })).status).toBe(404);
    expect((await call(fake(), '/me', { headers: { 'X-Session': dwights } })).status).toBe(200);
  });

  it('expired sessions are not listed by GET /api/sessions nor found by GET /api/sessions/:id', async () => {
    const { token } = await createSession(fake(), adminPassword());
    fake().clock.advance(32 * DAY_MS);
    expect(await (await call(fake(), '/sessions', { headers: adminKey() })).json()).toEqual({ sessions: [] });
    expect((await call(fake(), `/sessions/${token}`, { headers: adminKey() })).status).toBe(404);
  });

  it('DELETE /api/sessions/:id: 200 with an empty body', async () => {
    const { token } = await createSession(fake(), adminPassword());
    const response = await call(fake(), `/sessions/${token}`, { method: 'DELETE', headers: adminKey() });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('0');
    expect(await response.text()).toBe('');
  });

  it('Accept: text/xml (or any type JSON cannot satisfy): 406 {"message"}', async () => {
    for (const accept of ['text/xml', 'application/xml', 'text/html', 'application/json;q=0, text/xml']) {
      const response = await call(fake(), '/me', { headers: { ...adminKey(), Accept: accept } });
      expect(response.status, accept).toBe(406);
      expect(await response.json()).toEqual({ message: expect.any(String) });
    }
    for (const accept of ['*/*', 'application/*', 'text/html, application/json;q=0.9', 'application/json; charset=utf-8']) {
      expect((await call(fake(), '/me', { headers: { ...adminKey(), Accept: accept } })).status, accept).toBe(200);
    }
  });

  it('a known path with a verb it does not serve: 405 with Allow; an unknown path: 404 {"message"}', async () => {
    const put = await call(fake(), '/me', { method: 'PUT', headers: adminKey(), body: '{}' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD');
    expect(await put.json()).toEqual({ message: expect.any(String) });
    const sessions = await call(fake(), '/sessions', { method: 'PATCH', headers: adminKey() });
    expect(sessions.headers.get('allow')).toBe('GET, POST, HEAD');
    const unknown = await call(fake(), '/invoices', { headers: adminKey() });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ message: expect.any(String) });
    const outside = await call(fake(), '/../health');
    expect(outside.status).toBe(404);
  });

  it('responses are Content-Type: application/json (no charset)', async () => {
    expect((await call(fake(), '/me', { headers: adminKey() })).headers.get('content-type')).toBe('application/json');
  });

  it('Basic emails match case-insensitively', async () => {
    const response = await call(fake(), '/me', { headers: basic('Michael@DunderMifflin.com', demoAccounts.admin.password) });
    expect(response.status).toBe(200);
  });

  it('rate limit: 5 requests per 5-second window, counted per user whatever credential (3RD-PARTY)', async () => {
    const first = await call(fake(), '/me', { headers: adminKey() });
    expect(first.headers.get('x-ratelimit-limit')).toBe('5');
    expect(first.headers.get('x-ratelimit-decay-period')).toBe('5');
    const { token } = await createSession(fake(), adminPassword());
    for (let i = 0; i < 3; i++) expect((await call(fake(), '/me', { headers: i % 2 ? adminKey() : { 'X-Session': token } })).status).toBe(200);
    const limited = await call(fake(), '/me', { headers: adminPassword() });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(5);
    const dwight = await call(fake(), '/me', { headers: employeeKey() });
    expect(dwight.status).toBe(200);
    expect(dwight.headers.get('x-ratelimit-remaining')).toBe('4');
  });

  it('rate-limit header names are lower-case by default (what HTTP/2 and the SDKs see)', async () => {
    const raw = await rawGet(fake(), '/api/me', [`Authorization: ${adminKey().Authorization}`]);
    expect(raw.headerLines).toEqual(expect.arrayContaining(['x-ratelimit-decay-period: 5', 'x-ratelimit-limit: 5', 'x-ratelimit-remaining: 4']));
  });

  it('rate limit: unauthenticated requests are counted per client IP, apart from users', async () => {
    await call(fake(), '/me');
    const second = await call(fake(), '/me');
    expect(second.status).toBe(401);
    expect(second.headers.get('x-ratelimit-remaining')).toBe('3');
    expect((await call(fake(), '/me', { headers: adminKey() })).headers.get('x-ratelimit-remaining')).toBe('4');
  });

  it('rate-limit headers are on every /api answer, errors and 429 included; 429 wins over 401', async () => {
    fake().rateLimit.configure({ limit: 1 });
    const unauthorized = await call(fake(), '/me');
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('x-ratelimit-remaining')).toBe('0');
    const limited = await call(fake(), '/me');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('x-ratelimit-limit')).toBe('1');
    expect(await limited.json()).toEqual({ message: 'Too Many Requests' });
  });

  it('a session records the IP that created it', async () => {
    const { body } = await createSession(fake(), adminPassword());
    expect(body.sessions[0]!.ip).toBe('127.0.0.1');
  });

  it('a bad where filter (unknown field, bad syntax, wrong value type): 400 {"message"}', async () => {
    for (const where of ['nosuchfield=1', 'active', 'active=maybe', 'id in 1,2', 'id>abc']) {
      const response = await call(fake(), `/users?where=${encodeURIComponent(where)}`, { headers: adminKey() });
      expect(response.status, where).toBe(400);
      expect(await response.json()).toEqual({ message: expect.any(String) });
    }
  });

  it('a request body over 1 MiB: 413 {"message"}', async () => {
    const response = await call(fake(), '/sessions', { method: 'POST', headers: adminPassword(), body: 'x'.repeat(1024 * 1024 + 1) });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ message: expect.any(String) });
    expect((await call(fake(), '/sessions', { method: 'POST', headers: adminPassword(), body: 'x'.repeat(1024) })).status).toBe(201);
  });

  it('HEAD is served like GET, without a body', async () => {
    const response = await call(fake(), '/me', { method: 'HEAD', headers: adminKey() });
    expect(response.status).toBe(200);
    expect(Number(response.headers.get('content-length'))).toBeGreaterThan(0);
    expect(await response.text()).toBe('');
  });

  it('paths are matched strictly: no trailing slash, no double slash', async () => {
    expect((await call(fake(), '/me/', { headers: adminKey() })).status).toBe(404);
    expect((await rawGet(fake(), '/api//me', [`Authorization: ${adminKey().Authorization}`])).status).toBe(404);
  });
});

describe('INFERRED behaviours, changed by their options', () => {
  it('errorResponse: another status, body shape or WWW-Authenticate', async () => {
    await withFake(
      {
        errorResponse: (error) =>
          error.status === 401 ? { body: { error: error.message, reason: error.reason }, headers: { 'WWW-Authenticate': 'Basic realm="Paymo"' } } : undefined,
      },
      async (fake) => {
        const response = await call(fake, '/me');
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toBe('Basic realm="Paymo"');
        expect(await response.json()).toEqual({ error: expect.any(String), reason: 'missing_credentials' });
        expect(await (await call(fake, '/nope', { headers: adminKey() })).json()).toEqual({ message: expect.any(String) });
      },
    );
    await withFake({ errorResponse: (error) => (error.reason === 'expired_session' ? { status: 440 } : undefined) }, async (fake) => {
      const { token } = await createSession(fake, adminKey());
      fake.clock.advance(32 * DAY_MS);
      expect((await call(fake, '/me', { headers: { 'X-Session': token } })).status).toBe(440);
    });
  });

  it('meBody: another /api/me shape', async () => {
    await withFake({ meBody: (user) => ({ user }) }, async (fake) => {
      expect(await (await call(fake, '/me', { headers: adminKey() })).json()).toEqual({ user: expect.objectContaining({ id: 1 }) });
    });
  });

  it('createSessionStatus: 200 answers without Location', async () => {
    await withFake({ createSessionStatus: 200 }, async (fake) => {
      const { response, body } = await createSession(fake, adminPassword());
      expect(response.status).toBe(200);
      expect(response.headers.get('location')).toBeNull();
      expect(body.sessions[0]!.id).toMatch(/^[0-9a-f]{32}$/);
    });
  });

  it("locationHeader: 'path' gives /api/sessions/<id>", async () => {
    await withFake({ locationHeader: 'path' }, async (fake) => {
      const { response, token } = await createSession(fake, adminPassword());
      expect(response.headers.get('location')).toBe(`/api/sessions/${token}`);
    });
  });

  it('sessionLifetimeMs: a shorter lifetime', async () => {
    await withFake({ sessionLifetimeMs: 60_000, frozenClock: true }, async (fake) => {
      const { token, body } = await createSession(fake, adminPassword());
      expect(Date.parse(String(body.sessions[0]!.expires_on)) - Date.parse(String(body.sessions[0]!.created_on))).toBe(60_000);
      fake.clock.advance(59_999);
      expect((await call(fake, '/me', { headers: { 'X-Session': token } })).status).toBe(200);
      fake.clock.advance(1);
      expect((await call(fake, '/me', { headers: { 'X-Session': token } })).status).toBe(401);
    });
  });

  it('slidingExpiry: each use pushes expires_on and updated_on forward', async () => {
    await withFake({ slidingExpiry: true, sessionLifetimeMs: 10 * 60_000, frozenClock: true }, async (fake) => {
      const { token } = await createSession(fake, adminPassword());
      for (let i = 0; i < 3; i++) {
        fake.clock.advance(9 * 60_000);
        expect((await call(fake, '/me', { headers: { 'X-Session': token } })).status).toBe(200);
      }
      const session = fake.sessions.get(token)!;
      expect(Date.parse(session.expires_on) - Date.parse(session.updated_on)).toBe(10 * 60_000);
      expect(session.updated_on).not.toBe(session.created_on);
      fake.clock.advance(10 * 60_000);
      expect((await call(fake, '/me', { headers: { 'X-Session': token } })).status).toBe(401);
    });
  });

  it('sessionHeaderWins: false lets Basic decide when both are sent', async () => {
    await withFake({ sessionHeaderWins: false }, async (fake) => {
      const { token } = await createSession(fake, employeePassword());
      const response = await call(fake, '/me', { headers: { 'X-Session': token, ...adminKey() } });
      expect(((await response.json()) as { users: Array<{ id: number }> }).users[0]?.id).toBe(demoAccounts.admin.id);
      expect((await call(fake, '/me', { headers: { 'X-Session': token } })).status).toBe(200);
    });
  });

  it('allowSessionToCreateSession: a session may mint another', async () => {
    await withFake({ allowSessionToCreateSession: true }, async (fake) => {
      const { token } = await createSession(fake, adminPassword());
      const second = await createSession(fake, { 'X-Session': token });
      expect(second.response.status).toBe(201);
      expect(second.token).not.toBe(token);
    });
  });

  it('listExpiredSessions: expired sessions still listed and found', async () => {
    await withFake({ listExpiredSessions: true }, async (fake) => {
      const { token } = await createSession(fake, adminPassword());
      fake.clock.advance(32 * DAY_MS);
      const list = (await (await call(fake, '/sessions', { headers: adminKey() })).json()) as { sessions: Array<{ id: string }> };
      expect(list.sessions.map((session) => session.id)).toEqual([token]);
      expect((await call(fake, `/sessions/${token}`, { headers: adminKey() })).status).toBe(200);
      expect((await call(fake, '/me', { headers: { 'X-Session': token } })).status).toBe(401);
    });
  });

  it("deleteSessionBody: 'object' answers {}", async () => {
    await withFake({ deleteSessionBody: 'object' }, async (fake) => {
      const { token } = await createSession(fake, adminPassword());
      const response = await call(fake, `/sessions/${token}`, { method: 'DELETE', headers: adminKey() });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({});
    });
  });

  it("unsupportedAccept: 'json' serves JSON to Accept: text/xml", async () => {
    await withFake({ unsupportedAccept: 'json' }, async (fake) => {
      const response = await call(fake, '/me', { headers: { ...adminKey(), Accept: 'text/xml' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json');
    });
  });

  it('unsupportedMethodStatus: 404 instead of 405', async () => {
    await withFake({ unsupportedMethodStatus: 404 }, async (fake) => {
      const response = await call(fake, '/me', { method: 'DELETE', headers: adminKey() });
      expect(response.status).toBe(404);
      expect(response.headers.get('allow')).toBeNull();
    });
  });

  it('contentType: e.g. with a charset', async () => {
    await withFake({ contentType: 'application/json; charset=utf-8' }, async (fake) => {
      expect((await call(fake, '/me', { headers: adminKey() })).headers.get('content-type')).toBe('application/json; charset=utf-8');
    });
  });

  it('emailCaseSensitive: true refuses another casing', async () => {
    await withFake({ emailCaseSensitive: true }, async (fake) => {
      expect((await call(fake, '/me', { headers: basic('Michael@DunderMifflin.com', demoAccounts.admin.password) })).status).toBe(401);
      expect((await call(fake, '/me', { headers: adminPassword() })).status).toBe(200);
    });
  });

  it("rateLimit: limit, decayPeriodSeconds, and scope 'ip' (one window whoever signs in)", async () => {
    await withFake({ rateLimit: { limit: 3, decayPeriodSeconds: 60, scope: 'ip' } }, async (fake) => {
      const first = await call(fake, '/me', { headers: adminKey() });
      expect(first.headers.get('x-ratelimit-limit')).toBe('3');
      expect(first.headers.get('x-ratelimit-decay-period')).toBe('60');
      await call(fake, '/me', { headers: employeeKey() });
      await call(fake, '/me');
      expect((await call(fake, '/me', { headers: employeeKey() })).status).toBe(429);
    });
  });

  it("rateLimit scope 'credential': one window per credential of the same user", async () => {
    await withFake({ rateLimit: { limit: 2, scope: 'credential' } }, async (fake) => {
      await call(fake, '/me', { headers: adminKey() });
      await call(fake, '/me', { headers: adminKey() });
      expect((await call(fake, '/me', { headers: adminKey() })).status).toBe(429);
      const other = await call(fake, '/me', { headers: adminPassword() });
      expect(other.status).toBe(200);
      expect(other.headers.get('x-ratelimit-remaining')).toBe('1');
    });
  });

  it("rateLimit scope 'off': never 429, exhaust() still forces it", async () => {
    await withFake({ rateLimit: { limit: 1, scope: 'off' } }, async (fake) => {
      const answers = await Promise.all(Array.from({ length: 20 }, () => call(fake, '/me', { headers: adminKey() })));
      expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
      fake.rateLimit.exhaust(demoAccounts.admin.id);
      expect((await call(fake, '/me', { headers: adminKey() })).status).toBe(429);
      expect((await call(fake, '/me', { headers: employeeKey() })).status).toBe(200);
    });
  });

  it("rateLimit headerCase 'docs': X-Ratelimit-* and Retry-After as the docs print them", async () => {
    await withFake({ rateLimit: { limit: 1, headerCase: 'docs' } }, async (fake) => {
      const ok = await rawGet(fake, '/api/me', [`Authorization: ${adminKey().Authorization}`]);
      expect(ok.headerLines).toEqual(expect.arrayContaining(['X-Ratelimit-Limit: 1', 'X-Ratelimit-Remaining: 0']));
      const limited = await rawGet(fake, '/api/me', [`Authorization: ${adminKey().Authorization}`]);
      expect(limited.status).toBe(429);
      expect(limited.headerLines).toEqual(expect.arrayContaining(['Retry-After: 5']));
    });
  });

  it("rateLimitHeaders: 'success' puts X-Ratelimit-* on 2xx only; a 429 keeps Retry-After", async () => {
    await withFake({ rateLimitHeaders: 'success', rateLimit: { limit: 2 } }, async (fake) => {
      expect((await call(fake, '/me', { headers: adminKey() })).headers.get('x-ratelimit-remaining')).toBe('1');
      const notFound = await call(fake, '/nope', { headers: adminKey() });
      expect(notFound.status).toBe(404);
      expect(notFound.headers.get('x-ratelimit-remaining')).toBeNull();
      const limited = await call(fake, '/me', { headers: adminKey() });
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('5');
      expect(limited.headers.get('x-ratelimit-limit')).toBeNull();
    });
  });

  it('maxBodyBytes: a smaller body limit, also for chunked bodies', async () => {
    await withFake({ maxBodyBytes: 100 }, async (fake) => {
      expect((await call(fake, '/sessions', { method: 'POST', headers: adminPassword(), body: 'x'.repeat(101) })).status).toBe(413);
      const stream = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('y'.repeat(80)));
          controller.enqueue(new TextEncoder().encode('y'.repeat(80)));
          controller.close();
        },
      });
      const chunked = await fetch(`${fake.url}/sessions`, { method: 'POST', headers: adminPassword(), body: stream, duplex: 'half' } as RequestInit);
      expect(chunked.status).toBe(413);
      expect((await call(fake, '/sessions', { method: 'POST', headers: adminPassword(), body: 'x'.repeat(100) })).status).toBe(201);
    });
  });

  it('routes: extra endpoints behind the same auth and rate limit', async () => {
    await withFake(
      {
        routes: [
          { method: 'GET', path: '/projects/:id', handler: ({ params, user }) => ({ body: { projects: [{ id: Number(params.id), owner: user.id }] } }) },
          { method: 'POST', path: '/api/projects', handler: ({ body }) => ({ status: 201, body: { projects: [{ id: 1, name: JSON.parse(body).name }] } }) },
        ],
      },
      async (fake) => {
        expect(await (await call(fake, '/projects/7', { headers: employeeKey() })).json()).toEqual({ projects: [{ id: 7, owner: 2 }] });
        const created = await call(fake, '/projects', { method: 'POST', headers: { ...adminKey(), 'Content-Type': 'application/json' }, body: '{"name":"Paper"}' });
        expect(created.status).toBe(201);
        expect(created.headers.get('x-ratelimit-limit')).toBe('5');
        expect((await call(fake, '/projects/7')).status).toBe(401);
      },
    );
  });
});
