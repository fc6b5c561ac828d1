import { describe, expect, it } from 'vitest';
import { adminKey, call, demoAccounts, employeeKey, useFake } from './support.js';

describe('rate limiting', () => {
  const fake = useFake({ rateLimit: { limit: 3, decayPeriodSeconds: 10 }, frozenClock: true });

  it('X-Ratelimit-Remaining counts down through the window', async () => {
    const remaining: Array<string | null> = [];
    for (let i = 0; i < 3; i++) remaining.push((await call(fake(), '/me', { headers: adminKey() })).headers.get('x-ratelimit-remaining'));
    expect(remaining).toEqual(['2', '1', '0']);
  });

  it('over the limit: 429 for every request until the window ends, with Retry-After counting down with the clock', async () => {
    for (let i = 0; i < 3; i++) await call(fake(), '/me', { headers: adminKey() });
    const retryAfter: Array<string | null> = [];
    for (let second = 0; second < 10; second += 3) {
      const response = await call(fake(), '/me', { headers: adminKey() });
      expect(response.status).toBe(429);
      expect(response.headers.get('x-ratelimit-remaining')).toBe('0');
      retryAfter.push(response.headers.get('retry-after'));
      fake().clock.advance(3_000);
    }
    expect(retryAfter).toEqual(['10', '7', '4', '1']);
    // 12 s after the window opened: a new window.
    const after = await call(fake(), '/me', { headers: adminKey() });
    expect(after.status).toBe(200);
    expect(after.headers.get('x-ratelimit-remaining')).toBe('2');
  });

  it('429 on every route and every method while limited, also on POST /api/sessions', async () => {
    fake().rateLimit.exhaust(demoAccounts.admin.id);
    for (const [path, method] of [['/me', 'GET'], ['/sessions', 'POST'], ['/company', 'GET'], ['/nope', 'GET']] as const) {
      expect((await call(fake(), path, { method, headers: adminKey() })).status, path).toBe(429);
    }
    expect(fake().sessions.list()).toHaveLength(0);
  });

  it('Retry-After rounds partial seconds up', async () => {
    for (let i = 0; i < 4; i++) await call(fake(), '/me', { headers: adminKey() });
    fake().clock.advance(2_500);
    expect((await call(fake(), '/me', { headers: adminKey() })).headers.get('retry-after')).toBe('8');
  });

  it('exhaust(userId) limits that user only; exhaust() everyone, unauthenticated requests included', async () => {
    fake().rateLimit.exhaust(demoAccounts.admin.id);
    expect((await call(fake(), '/me', { headers: adminKey() })).status).toBe(429);
    expect((await call(fake(), '/me', { headers: employeeKey() })).status).toBe(200);
    fake().rateLimit.exhaust();
    const everyone = await call(fake(), '/me', { headers: employeeKey() });
    expect(everyone.status).toBe(429);
    expect(everyone.headers.get('retry-after')).toBe('10');
    expect((await call(fake(), '/me')).status).toBe(429);
    fake().clock.advance(10_000);
    expect((await call(fake(), '/me', { headers: employeeKey() })).status).toBe(200);
  });

  it('reset() forgets windows; configure() changes the numbers', async () => {
    fake().rateLimit.exhaust();
    fake().rateLimit.reset();
    expect((await call(fake(), '/me', { headers: adminKey() })).status).toBe(200);
    fake().rateLimit.configure({ limit: 1, decayPeriodSeconds: 60 });
    expect(fake().rateLimit.settings).toEqual({ limit: 1, decayPeriodSeconds: 60, scope: 'user', headerCase: 'lower' });
    const first = await call(fake(), '/me', { headers: adminKey() });
    expect(first.headers.get('x-ratelimit-decay-period')).toBe('60');
    const second = await call(fake(), '/me', { headers: adminKey() });
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBe('60');
    expect(() => fake().rateLimit.configure({ limit: 0 })).toThrow(TypeError);
  });

  it('429 bodies are {"message":"Too Many Requests"} and the request log says rate_limited', async () => {
    fake().rateLimit.exhaust();
    const response = await call(fake(), '/me', { headers: adminKey() });
    expect(await response.json()).toEqual({ message: 'Too Many Requests' });
    expect(fake().requests.at(-1)).toMatchObject({ status: 429, reason: 'rate_limited', userId: 1 });
  });
});
