import { describe, expect, it } from 'vitest';
import { createPaymoAuth, isPaymoAuthError, type PaymoAuthOptions } from '@paymo/auth-core';

function configErrorOf(options: unknown): string {
  try {
    createPaymoAuth(options as PaymoAuthOptions);
  } catch (error) {
    if (isPaymoAuthError(error) && error.code === 'CONFIG_ERROR') return error.message;
    throw error;
  }
  throw new Error('no CONFIG_ERROR');
}

describe('createPaymoAuth options', () => {
  it.each([
    [{ baseUrl: 'not a url' }, /baseUrl/],
    [{ baseUrl: 'http://paymo.example.com/api' }, /baseUrl.*https/],
    [{ baseUrl: 42 }, /baseUrl/],
    [{ basePath: 'auth' }, /basePath/],
    [{ basePath: '/auth/' }, /basePath/],
    [{ store: {} }, /store.*get\(\)/],
    [{ session: { maxAgeMs: 0 } }, /session\.maxAgeMs/],
    [{ session: { idleTimeoutMs: -1 } }, /session\.idleTimeoutMs/],
    [{ session: { revalidateAfterMs: Number.NaN } }, /session\.revalidateAfterMs/],
    [{ passThroughCacheMs: Infinity }, /passThroughCacheMs/],
    [{ cookie: { name: 'bad name' } }, /cookie\.name/],
    [{ cookie: { name: '__Host-sid' } }, /cookie\.name/],
    [{ cookie: { sameSite: 'none' } }, /cookie\.sameSite/],
    [{ trustedOrigins: ['https://a.example.com/path'] }, /trustedOrigins/],
    [{ trustedOrigins: 'https://a.example.com' }, /trustedOrigins/],
    [{ signInRateLimit: { perIp: 1.5 } }, /signInRateLimit\.perIp/],
    [{ strategies: { cookie: false, sessionHeader: false, basic: false } }, /strategies/],
    [{ strategies: { cookie: 'yes' } }, /strategies\.cookie/],
    [{ logger: 'console' }, /logger/],
    [{ maxBodyBytes: 0 }, /maxBodyBytes/],
  ])('%j -> CONFIG_ERROR naming the option', (options, pattern) => {
    expect(configErrorOf(options)).toMatch(pattern);
  });

  it('accepts defaults, reads PAYMO_API_URL, and closes its own store', async () => {
    const previous = process.env.PAYMO_API_URL;
    process.env.PAYMO_API_URL = 'http://127.0.0.1:1/api';
    try {
      const auth = createPaymoAuth();
      expect(auth.basePath).toBe('/auth');
      expect(auth.maxBodyBytes).toBe(8192);
      await auth.close();
      await auth.close();
      expect(() => createPaymoAuth({ trustedOrigins: ['https://a.example.com'], cookie: { sameSite: 'strict' } })).not.toThrow();
    } finally {
      if (previous === undefined) delete process.env.PAYMO_API_URL;
      else process.env.PAYMO_API_URL = previous;
    }
  });

  it('a throwing logger never breaks a request', async () => {
    const auth = createPaymoAuth({
      baseUrl: 'http://127.0.0.1:1/api',
      logger: () => {
        throw new Error('logger down');
      },
    });
    const response = await auth.handle(
      new Request('http://app.test/auth/sign-in', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"apiKey":"k"}' }),
    );
    // Nothing listens on port 1: Paymo is unreachable -> 503, logged (the logger throws, ignored).
    expect(response?.status).toBe(503);
    await auth.close();
  });
});
