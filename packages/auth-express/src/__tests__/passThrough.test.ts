import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { demoAccounts } from '@paymo/fake-api';
import { MemorySessionStore } from '@paymo/auth-core';
import { expressVersions, startStack, type Stack } from './harness.js';

const { admin, employee } = demoAccounts;
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe.each(expressVersions)('pass-through credentials on %s', (_name, lib) => {
  let stack: Stack;
  afterEach(() => stack?.close());

  it('validates X-Session once per cache period, then answers from the cache', async () => {
    // The verdict lives in the store for passThroughCacheMs: the store shares the fake's clock too.
    stack = await startStack(lib, {
      auth: (fake) => ({ now: () => fake.clock.now(), store: new MemorySessionStore({ now: () => fake.clock.now() }), passThroughCacheMs: 30_000 }),
    });
    const token = stack.fake.sessions.create(employee.id).id;
    stack.fake.resetRequests();
    for (let i = 0; i < 5; i++) {
      const res = await request(stack.server).get('/api/me').set('X-Session', token).expect(200);
      expect(res.body).toMatchObject({ user: { id: employee.id }, strategy: 'session-header' });
    }
    expect(stack.fake.requests).toHaveLength(1);
    stack.fake.clock.advance(31_000);
    await request(stack.server).get('/api/me').set('X-Session', token).expect(200);
    expect(stack.fake.requests).toHaveLength(2);
  });

  it('validates concurrent first requests of one credential with a single upstream call', async () => {
    stack = await startStack(lib);
    const token = stack.fake.sessions.create(admin.id).id;
    stack.fake.resetRequests();
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => request(stack.server).get('/api/me').set('X-Session', token)));
    expect(answers.map((res) => res.status)).toEqual([200, 200, 200, 200, 200]);
    expect(stack.fake.requests.length).toBeLessThanOrEqual(1);
  });

  it('validates Basic email:password and apiKey:anything, one upstream call per credential', async () => {
    stack = await startStack(lib);
    stack.fake.resetRequests();
    for (let i = 0; i < 3; i++) {
      const res = await request(stack.server).get('/api/me').set('Authorization', basic(admin.email, admin.password)).expect(200);
      expect(res.body).toMatchObject({ user: { id: admin.id }, strategy: 'basic' });
      const key = await request(stack.server).get('/api/me').set('Authorization', basic(employee.apiKey, 'X')).expect(200);
      expect(key.body).toMatchObject({ user: { id: employee.id }, strategy: 'api-key' });
    }
    expect(stack.fake.requests).toHaveLength(2);
    const clients = await request(stack.server).get('/api/clients').set('Authorization', basic(admin.email, admin.password)).expect(200);
    expect(Array.isArray(clients.body.clients)).toBe(true);
  });

  it('refuses bad pass-through credentials with 401 and WWW-Authenticate, and caches the refusal too', async () => {
    stack = await startStack(lib);
    stack.fake.resetRequests();
    for (let i = 0; i < 3; i++) {
      const res = await request(stack.server).get('/api/me').set('Authorization', basic(admin.email, 'wrong')).expect(401);
      expect(res.body.error.code).toBe('INVALID_CREDENTIALS');
      expect(res.headers['www-authenticate']).toMatch(/Basic/);
    }
    expect(stack.fake.requests.length).toBeLessThanOrEqual(1);
    const token = 'f'.repeat(32);
    const res = await request(stack.server).get('/api/me').set('X-Session', token).expect(401);
    expect(JSON.stringify(res.body)).not.toContain(token);
  });

  it('turns pass-through strategies off when asked', async () => {
    stack = await startStack(lib, { auth: { strategies: { basic: false, sessionHeader: false } } });
    const token = stack.fake.sessions.create(admin.id).id;
    stack.fake.resetRequests();
    const res = await request(stack.server).get('/api/me').set('X-Session', token).set('Authorization', basic(admin.email, admin.password)).expect(401);
    expect(res.body.error.code).toBe('MISSING_CREDENTIALS');
    expect(stack.fake.requests).toHaveLength(0);
  });
});
