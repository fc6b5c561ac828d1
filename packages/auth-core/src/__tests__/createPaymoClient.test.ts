import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakePaymo, demoAccounts } from '@paymo/fake-api';
import { createPaymoClient, isPaymoAuthError } from '@paymo/auth-core';
import type { PaymoClientOptions, PaymoCredential } from '@paymo/auth-core';

type Fake = Awaited<ReturnType<typeof createFakePaymo>>;
let fake: Fake;

beforeEach(async () => {
  // Looser than the fake's default quota (5 per 5 s) on purpose: these tests make many Paymo calls per
  // test and check other behaviour; the quota itself is tested in quota.test.ts files.
  fake = await createFakePaymo({ rateLimit: { limit: 100, decayPeriodSeconds: 10 } });
});
afterEach(async () => {
  await fake.close();
});

const admin = demoAccounts.admin;
const basic: PaymoCredential = { type: 'basic', email: admin.email, password: admin.password };
const apiKey: PaymoCredential = { type: 'apiKey', apiKey: admin.apiKey };
// Fast retries keep the suite quick; the policy (which methods, which failures) is what is tested.
const fastRetry = { retries: 2, baseDelayMs: 20, maxDelayMs: 2000 };
// quota: false: these tests count every request and check retries and renewals, not the quota budget
// (waiting for the window, sharing identical GETs), which quota.test.ts files cover.
const client = (options: Partial<PaymoClientOptions> = {}) =>
  createPaymoClient({ baseUrl: fake.url, credential: apiKey, retry: fastRetry, quota: false, ...options });

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    expect(isPaymoAuthError(error)).toBe(true);
    return error as Error & { code: string; status: number; retryAfter?: number };
  }
  throw new Error('expected a rejection');
}

describe('createPaymoClient against the fake Paymo API', () => {
  it('me() works with email/password, an API key and a session token, from users[0]', async () => {
    const byBasic = await client({ credential: basic }).me();
    expect(byBasic).toMatchObject({ id: admin.id, name: admin.name, email: admin.email, type: 'Admin' });
    expect(await client().me()).toMatchObject({ id: admin.id });
    const session = await client({ credential: basic }).sessions.create();
    expect(await client({ credential: { type: 'session', token: session.id } }).me()).toMatchObject({ id: admin.id });
    expect(fake.requests.filter((r) => r.path === '/api/me').map((r) => r.auth)).toEqual(['basic', 'apiKey', 'session']);
  });

  it('accepts a trailing slash on baseUrl', async () => {
    expect(await client({ baseUrl: `${fake.url}/` }).me()).toMatchObject({ id: admin.id });
  });

  it('creates, lists, gets and deletes sessions; a deleted token is then refused', async () => {
    const api = client();
    const created = await api.sessions.create();
    expect(created.id).toMatch(/^[0-9a-f]{32}$/);
    expect(created.user_id).toBe(admin.id);
    expect(created.meta.status).toBe(201);
    expect(Date.parse(created.expires_on) - Date.parse(created.created_on)).toBe(31 * 24 * 3600 * 1000);

    const listed = await api.sessions.list();
    expect(listed.map((s) => s.id)).toContain(created.id);
    expect(await api.sessions.get(created.id)).toMatchObject({ id: created.id, user_id: admin.id });

    const asToken = client({ credential: { type: 'session', token: created.id } });
    await api.sessions.delete(created.id);
    const error = await rejection(asToken.me());
    expect(error).toMatchObject({ code: 'INVALID_CREDENTIALS', status: 401 });
    expect(error.message).not.toContain(created.id);
  });

  it('accepts 200 as well as 201 from POST /sessions', async () => {
    await fake.close();
    // Looser than the fake's default quota (5 per 5 s) on purpose: these tests make many Paymo calls per
    // test and check other behaviour; the quota itself is tested in quota.test.ts files.
    fake = await createFakePaymo({ createSessionStatus: 200, rateLimit: { limit: 100, decayPeriodSeconds: 10 } });
    const created = await client().sessions.create();
    expect(created.meta.status).toBe(200);
    expect(created.id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('maps 401 to INVALID_CREDENTIALS without echoing the secret', async () => {
    const wrong = await rejection(client({ credential: { ...basic, password: 'not-the-password-123' } }).me());
    expect(wrong).toMatchObject({ code: 'INVALID_CREDENTIALS', status: 401 });
    expect(wrong.message).not.toContain('not-the-password-123');
    const archived = demoAccounts.archived;
    const refused = await rejection(client({ credential: { type: 'apiKey', apiKey: archived.apiKey } }).me());
    expect(refused).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect(refused.message).not.toContain(archived.apiKey);
    // 401 is never retried.
    expect(fake.countRequests({ path: '/api/me' })).toBe(2);
  });

  it('maps other 4xx to UPSTREAM_ERROR with Paymo\'s message', async () => {
    const error = await rejection(client().sessions.get('0123456789abcdef0123456789abcdef'));
    expect(error).toMatchObject({ code: 'UPSTREAM_ERROR' });
    expect(error.message).toMatch(/^Paymo answered 404/);
    expect(fake.countRequests({ path: /^\/api\/sessions\// })).toBe(1);
  });

  it('reports rate-limit headers and clock skew in meta', async () => {
    const { data, meta } = await client().requestWithMeta<{ users: unknown[] }>('GET', '/me');
    expect(data.users).toHaveLength(1);
    expect(meta.status).toBe(200);
    expect(meta.rateLimit).toEqual({ limit: 100, remaining: 99, decayPeriodSeconds: 10 });
    expect(Math.abs(meta.clockSkewMs)).toBeLessThan(1500);

    fake.clock.advance(3_600_000);
    const ahead = await client().requestWithMeta('GET', '/me');
    expect(Math.abs(ahead.meta.clockSkewMs - 3_600_000)).toBeLessThan(1500);
  });

  it('429: RATE_LIMITED with Retry-After; a long wait is not retried', async () => {
    fake.rateLimit.exhaust();
    const error = await rejection(client().me());
    expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    expect(error.retryAfter).toBeGreaterThan(2);
    expect(error.retryAfter).toBeLessThanOrEqual(10);
    expect(fake.countRequests({ path: '/api/me' })).toBe(1);
  });

  it('429 with a short Retry-After: GET waits and retries, POST does not', async () => {
    fake.rateLimit.configure({ limit: 100, decayPeriodSeconds: 1 });
    fake.rateLimit.exhaust();
    expect(await client().me()).toMatchObject({ id: admin.id });
    expect(fake.requests.filter((r) => r.path === '/api/me').map((r) => r.status)).toEqual([429, 200]);

    fake.rateLimit.exhaust();
    const error = await rejection(client().sessions.create());
    expect(error).toMatchObject({ code: 'RATE_LIMITED' });
    expect(fake.countRequests({ method: 'POST', path: '/api/sessions' })).toBe(1);
  });

  it('5xx: GET is retried until it succeeds; retries are bounded', async () => {
    fake.faults.inject({ status: 503, times: 2, path: '/api/me' });
    expect(await client().me()).toMatchObject({ id: admin.id });
    expect(fake.countRequests({ path: '/api/me' })).toBe(3);

    fake.resetRequests();
    fake.faults.inject({ status: 500, times: 5, path: '/api/me' });
    const error = await rejection(client().me());
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 503 });
    expect(fake.countRequests({ path: '/api/me' })).toBe(3);

    fake.resetRequests();
    fake.faults.clear();
    fake.faults.inject({ status: 502, times: 5, path: '/api/me' });
    await rejection(client({ retry: false }).me());
    expect(fake.countRequests({ path: '/api/me' })).toBe(1);
  });

  it('5xx on DELETE is retried, on POST never', async () => {
    const api = client();
    const created = await api.sessions.create();
    fake.faults.inject({ status: 503, times: 1, method: 'DELETE' });
    await api.sessions.delete(created.id);
    expect(fake.countRequests({ method: 'DELETE' })).toBe(2);

    fake.faults.inject({ status: 503, times: 1, method: 'POST', path: '/api/sessions' });
    const error = await rejection(api.sessions.create());
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(fake.countRequests({ method: 'POST', path: '/api/sessions' })).toBe(2); // 1 earlier + 1 now
  });

  it('a 5xx whose Retry-After is too long is not retried', async () => {
    fake.faults.inject({ status: 503, retryAfter: 30, times: 1, path: '/api/me' });
    const error = await rejection(client().me());
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryAfter: 30 });
    expect(fake.countRequests({ path: '/api/me' })).toBe(1);
  });

  it('dropped connections: GET retried, POST not', async () => {
    fake.faults.inject({ drop: true, times: 1, path: '/api/me' });
    expect(await client().me()).toMatchObject({ id: admin.id });
    expect(fake.requests.filter((r) => r.path === '/api/me').map((r) => r.status)).toEqual([0, 200]);

    fake.faults.inject({ drop: true, times: 1, method: 'POST', path: '/api/sessions' });
    const error = await rejection(client().sessions.create());
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', message: 'Paymo could not be reached.' });
    expect(fake.countRequests({ method: 'POST', path: '/api/sessions' })).toBe(1);
  });

  it('times out each attempt; a GET retries after a timeout', async () => {
    fake.faults.inject({ latencyMs: 1500, times: 1, path: '/api/me' });
    const error = await rejection(client({ timeoutMs: 150, retry: false }).me());
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', message: 'Paymo did not answer within 150 ms.' });

    fake.faults.inject({ latencyMs: 1500, times: 1, path: '/api/me' });
    expect(await client({ timeoutMs: 150 }).me()).toMatchObject({ id: admin.id });
  });

  it('request() unwraps nothing: it returns the JSON body of any endpoint', async () => {
    const body = await client().request<{ company: { id: number } }>('GET', '/company');
    expect(body.company.id).toBeTypeOf('number');
  });
});
