import { afterEach, describe, expect, it } from 'vitest';
import { admin, createHarness, demoAccounts, type Harness } from './engineHarness.js';
import { encodeBasic } from './encodeBasic.js';

let h: Harness;
afterEach(async () => {
  h.assertNoSecrets();
  await h.close();
});

const json = { 'content-type': 'application/json' };

describe('a failing store fails closed', () => {
  it('authenticate(): 503 STORE_UNAVAILABLE for every strategy, never authenticated, never a rejection', async () => {
    h = await createHarness();
    const { cookie } = await h.signIn(admin);
    const [token] = h.tokensOf(1);
    h.store.failing = true;
    const requests: Array<{ cookie?: string; headers?: Record<string, string> }> = [
      { cookie },
      { headers: { 'x-session': token! } },
      { headers: { authorization: encodeBasic(admin.email, admin.password) } },
      { headers: { authorization: encodeBasic(demoAccounts.admin.apiKey, 'x') } },
    ];
    for (const request of requests) {
      const state = await h.authenticate(request);
      expect(state.authenticated).toBe(false);
      if (state.authenticated) continue;
      expect(state.error.code).toBe('STORE_UNAVAILABLE');
      expect(state.error.status).toBe(503);
      // The cookie is kept: the session may be fine once the store is back.
      expect(state.setCookies).toEqual([]);
      const response = h.auth.errorResponse(state.error);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).not.toBeNull();
    }
    expect(h.logs.some((event) => event.level === 'error' && event.code === 'STORE_UNAVAILABLE')).toBe(true);
    h.store.failing = false;
    expect((await h.authenticate({ cookie })).authenticated).toBe(true);
  });

  it('every route answers 503 (GET /session too: never {session:null})', async () => {
    h = await createHarness();
    const { cookie } = await h.signIn(admin);
    h.store.failing = true;
    h.fake.resetRequests();
    const session = await h.send('/auth/session', { cookie });
    expect(session.status).toBe(503);
    expect(session.json.error.code).toBe('STORE_UNAVAILABLE');
    expect((await h.send('/auth/sessions', { cookie })).status).toBe(503);
    const signOut = await h.send('/auth/sign-out', { method: 'POST', cookie, headers: json });
    expect(signOut.status).toBe(503);
    // The session could not be ended, but the browser is told to forget it (a shared computer).
    expect(signOut.setCookies).toEqual([expect.stringMatching(/^paymo\.sid=; Max-Age=0/)]);
    expect((await h.send('/auth/sign-out-everywhere', { method: 'POST', cookie, headers: json })).status).toBe(503);
    const signIn = await h.signIn(admin);
    expect(signIn.status).toBe(503);
    expect(signIn.setCookies).toEqual([]);
    // The sign-in rate limit lives in the store: no upstream call was made without it.
    expect(h.fake.countRequests()).toBe(0);
  });

  it('a store that fails only on writes: the touch fails closed, sign-in ends the Paymo session it made', async () => {
    h = await createHarness({ session: { touchIntervalMs: 1_000, revalidateAfterMs: 3_600_000 } });
    const { cookie } = await h.signIn(admin);
    const inner = h.store.inner;
    const originalSet = inner.set.bind(inner);
    inner.set = async (key, ...rest) => {
      if (key.startsWith('sess:')) throw new Error('read-only replica (test)');
      return originalSet(key, ...rest);
    };
    h.advance(2_000);
    const state = await h.authenticate({ cookie });
    expect(!state.authenticated && state.error.code).toBe('STORE_UNAVAILABLE');
    const before = h.tokensOf(1).length;
    expect((await h.signIn(admin)).status).toBe(503);
    await expect.poll(() => h.tokensOf(1), { timeout: 5_000 }).toHaveLength(before);
    inner.set = originalSet;
  });

  it('a store that hangs and then rejects with a non-Error still yields a typed answer', async () => {
    h = await createHarness();
    const { cookie } = await h.signIn(admin);
    h.store.inner.get = () => new Promise((_, reject) => setTimeout(() => reject('string rejection'), 20));
    const state = await h.authenticate({ cookie });
    expect(!state.authenticated && state.error.code).toBe('STORE_UNAVAILABLE');
  });
});
