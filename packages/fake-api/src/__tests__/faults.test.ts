import { describe, expect, it } from 'vitest';
import { adminKey, adminPassword, call, createSession, useFake } from './support.js';

describe('fault injection', () => {
  const fake = useFake();

  it('status with Retry-After, {"message"} body, for a limited number of times', async () => {
    fake().faults.inject({ status: 503, retryAfter: 7, times: 2 });
    for (let i = 0; i < 2; i++) {
      const response = await call(fake(), '/me', { headers: adminKey() });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('7');
      expect(await response.json()).toEqual({ message: 'Service Unavailable' });
    }
    expect((await call(fake(), '/me', { headers: adminKey() })).status).toBe(200);
    expect(fake().faults.active).toHaveLength(0);
  });

  it('without times a fault stays until clear()', async () => {
    fake().faults.inject({ status: 500, message: 'boom' });
    for (let i = 0; i < 3; i++) expect((await call(fake(), '/company', { headers: adminKey() })).status).toBe(500);
    expect(await (await call(fake(), '/company', { headers: adminKey() })).json()).toEqual({ message: 'boom' });
    fake().faults.clear();
    expect((await call(fake(), '/company', { headers: adminKey() })).status).toBe(200);
  });

  it('filtered by method and path (string with or without /api, or RegExp)', async () => {
    fake().faults.inject({ status: 502, method: 'post', path: '/sessions' });
    fake().faults.inject({ status: 504, path: /^\/api\/users\/\d+$/ });
    expect((await call(fake(), '/sessions', { headers: adminKey() })).status).toBe(200);
    expect((await call(fake(), '/sessions', { method: 'POST', headers: adminPassword() })).status).toBe(502);
    expect((await call(fake(), '/users', { headers: adminKey() })).status).toBe(200);
    expect((await call(fake(), '/users/2', { headers: adminKey() })).status).toBe(504);
    fake().faults.clear();
    fake().faults.inject({ status: 500, path: '/api/me', times: 1 });
    expect((await call(fake(), '/me', { headers: adminKey() })).status).toBe(500);
  });

  it('a faulted request creates nothing and spends no rate limit; the log marks it', async () => {
    fake().faults.inject({ status: 500, times: 1 });
    expect((await call(fake(), '/sessions', { method: 'POST', headers: adminPassword() })).status).toBe(500);
    expect(fake().sessions.list()).toHaveLength(0);
    expect(fake().requests.at(-1)).toMatchObject({ method: 'POST', path: '/api/sessions', status: 500, fault: 'status', reason: 'fault', auth: 'basic', userId: 1 });
    const next = await call(fake(), '/me', { headers: adminPassword() });
    expect(next.headers.get('x-ratelimit-remaining')).toBe('4');
  });

  it('drop: the socket is destroyed with no response (fetch rejects), logged with status 0', async () => {
    fake().faults.inject({ drop: true, times: 1, path: '/me' });
    await expect(call(fake(), '/me', { headers: adminKey() })).rejects.toThrow(TypeError);
    expect(fake().requests.at(-1)).toMatchObject({ path: '/api/me', status: 0, fault: 'drop' });
    expect((await call(fake(), '/me', { headers: adminKey() })).status).toBe(200);
  });

  it('latency delays the answer and then serves normally', async () => {
    fake().faults.inject({ latencyMs: 150, times: 1 });
    const started = performance.now();
    const response = await call(fake(), '/me', { headers: adminKey() });
    expect(response.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(fake().requests.at(-1)).toMatchObject({ status: 200, fault: 'latency' });
  });

  it('latency then a status, and latency then a drop', async () => {
    fake().faults.inject({ latencyMs: 30, status: 503, times: 1 });
    fake().faults.inject({ latencyMs: 30, drop: true, times: 1 });
    expect((await call(fake(), '/me', { headers: adminKey() })).status).toBe(503);
    await expect(call(fake(), '/me', { headers: adminKey() })).rejects.toThrow();
  });

  it('the first matching fault applies, in order of injection', async () => {
    fake().faults.inject({ status: 500, path: '/me', times: 1 });
    fake().faults.inject({ status: 502, times: 1 });
    expect((await call(fake(), '/company', { headers: adminKey() })).status).toBe(502);
    expect((await call(fake(), '/me', { headers: adminKey() })).status).toBe(500);
  });

  it('a fault can stand in for a session that Paymo fails to delete', async () => {
    const { token } = await createSession(fake(), adminPassword());
    fake().faults.inject({ status: 500, method: 'DELETE', path: /^\/api\/sessions\//, times: 1 });
    expect((await call(fake(), `/sessions/${token}`, { method: 'DELETE', headers: { 'X-Session': token } })).status).toBe(500);
    expect((await call(fake(), '/me', { headers: { 'X-Session': token } })).status).toBe(200);
  });

  it('bad specs are refused with a TypeError', () => {
    expect(() => fake().faults.inject({})).toThrow(TypeError);
    expect(() => fake().faults.inject({ status: 42 })).toThrow(TypeError);
    expect(() => fake().faults.inject({ status: 500, times: 0 })).toThrow(TypeError);
    expect(() => fake().faults.inject({ latencyMs: -1 })).toThrow(TypeError);
    expect(() => fake().faults.inject({ status: 503, retryAfter: 1.5 })).toThrow(TypeError);
  });

  it('close() while a request waits in latency: the request fails and close resolves', async () => {
    fake().faults.inject({ latencyMs: 60_000 });
    const pending = call(fake(), '/me', { headers: adminKey() });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await fake().close();
    await expect(pending).rejects.toThrow();
  });
});
