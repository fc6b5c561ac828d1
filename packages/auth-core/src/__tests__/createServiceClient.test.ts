import { afterEach, describe, expect, it } from 'vitest';
import { createFakePaymo, demoAccounts, type FakePaymo } from '@paymo/fake-api';
import { createPaymoAuth, createServiceClient, isPaymoAuthError } from '@paymo/auth-core';

const saved = process.env.PAYMO_API_URL;
let fake: FakePaymo | undefined;
afterEach(async () => {
  if (saved === undefined) delete process.env.PAYMO_API_URL;
  else process.env.PAYMO_API_URL = saved;
  await fake?.close();
  fake = undefined;
});

describe('createServiceClient', () => {
  it('mints one Paymo session from the API key for concurrent calls, then sends it as X-Session', async () => {
    // Looser than the fake's default quota (5 per 5 s) on purpose: these tests make many Paymo calls per
    // test and check other behaviour; the quota itself is tested in quota.test.ts files.
    fake = await createFakePaymo({ rateLimit: { limit: 100, decayPeriodSeconds: 10 } });
    const paymo = createServiceClient({ apiKey: demoAccounts.admin.apiKey, baseUrl: fake.url });
    fake.resetRequests();
    const users = await Promise.all([paymo.me(), paymo.me(), paymo.me()]);
    expect(users.map((user) => user.id)).toEqual([demoAccounts.admin.id, demoAccounts.admin.id, demoAccounts.admin.id]);
    expect(fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/sessions'))).toHaveLength(1);
  });

  it("resolves baseUrl as the engine does: PAYMO_API_URL when set, '' as unset, a bad URL as CONFIG_ERROR", async () => {
    // Looser than the fake's default quota (5 per 5 s) on purpose: these tests make many Paymo calls per
    // test and check other behaviour; the quota itself is tested in quota.test.ts files.
    fake = await createFakePaymo({ rateLimit: { limit: 100, decayPeriodSeconds: 10 } });
    process.env.PAYMO_API_URL = fake.url;
    expect((await createServiceClient({ apiKey: demoAccounts.admin.apiKey }).me()).id).toBe(demoAccounts.admin.id);

    process.env.PAYMO_API_URL = '';
    expect(() => createPaymoAuth({}).close()).not.toThrow();
    expect(() => createServiceClient({ apiKey: demoAccounts.admin.apiKey })).not.toThrow();

    for (const baseUrl of ['http://paymo.example.com/api', 'not a url']) {
      const engineError = (() => { try { createPaymoAuth({ baseUrl }); } catch (e) { return e; } })();
      const clientError = (() => { try { createServiceClient({ apiKey: 'k', baseUrl }); } catch (e) { return e; } })();
      expect(isPaymoAuthError(clientError) && clientError.code).toBe('CONFIG_ERROR');
      expect(isPaymoAuthError(engineError) && engineError.message).toBe(isPaymoAuthError(clientError) && clientError.message);
    }
  });
});
