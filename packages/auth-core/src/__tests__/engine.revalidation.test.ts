import { afterEach, describe, expect, it } from 'vitest';
import { admin, createHarness, type Harness } from './engineHarness.js';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

let h: Harness;
afterEach(async () => {
  h.assertNoSecrets();
  await h.close();
});

const revalidations = (fake: Harness['fake']) => fake.countRequests({ method: 'GET', path: /^\/api\/sessions\/[0-9a-f]+$/ });

describe('revocation (a Paymo session ended elsewhere)', () => {
  it('is noticed by the first request after revalidateAfterMs, and not before; zero upstream calls in between', async () => {
    h = await createHarness({ session: { revalidateAfterMs: MINUTE } });
    const { cookie } = await h.signIn(admin);
    const [token] = h.tokensOf(1);
    h.fake.resetRequests();

    for (let i = 0; i < 50; i++) expect((await h.authenticate({ cookie })).authenticated).toBe(true);
    expect(h.fake.countRequests()).toBe(0);

    h.fake.sessions.revoke(token!);
    h.advance(MINUTE - SECOND);
    // Inside the window the revocation is not seen yet (documented bound), and Paymo is not asked.
    expect((await h.authenticate({ cookie })).authenticated).toBe(true);
    expect(h.fake.countRequests()).toBe(0);

    h.advance(SECOND);
    const state = await h.authenticate({ cookie });
    expect(state.authenticated).toBe(false);
    if (state.authenticated) return;
    expect(state.error.code).toBe('SESSION_REVOKED');
    expect(state.setCookies[0]).toMatch(/^paymo\.sid=; Max-Age=0/);
    expect(revalidations(h.fake)).toBe(1);
    // The record is gone: the next request needs no upstream call to say no.
    const again = await h.authenticate({ cookie });
    expect(again.authenticated).toBe(false);
    expect(h.fake.countRequests()).toBe(1);
  });

  it('treats a 404 for the session resource as the session being gone', async () => {
    h = await createHarness({ session: { revalidateAfterMs: MINUTE } });
    const { cookie } = await h.signIn(admin);
    h.advance(MINUTE);
    h.fake.faults.inject({ status: 404, times: 1, method: 'GET', path: /^\/api\/sessions\// });
    const state = await h.authenticate({ cookie });
    expect(!state.authenticated && state.error.code).toBe('SESSION_REVOKED');
    expect((await h.authenticate({ cookie })).authenticated).toBe(false);
  });

  it("says SESSION_EXPIRED when Paymo's own clock (its Date header) is past the session's expiry", async () => {
    h = await createHarness({ session: { revalidateAfterMs: MINUTE } });
    const { cookie } = await h.signIn(admin);
    // Only Paymo's clock moves past the 31 days; ours moves just past the revalidation window.
    h.fake.clock.advance(32 * 24 * 60 * MINUTE);
    h.advance(MINUTE);
    const state = await h.authenticate({ cookie });
    expect(!state.authenticated && state.error.code).toBe('SESSION_EXPIRED');
  });

  it('tells GET /session why the session ended, so the browser can say it in words', async () => {
    h = await createHarness({ session: { revalidateAfterMs: MINUTE } });
    const { cookie } = await h.signIn(admin);
    h.fake.sessions.revoke(h.tokensOf(1)[0]!);
    h.advance(MINUTE);
    expect((await h.send('/auth/session', { cookie })).json).toEqual({ session: null, reason: 'SESSION_REVOKED' });
  });

  it("ends the local session when Paymo refuses its token in the app's own call through state.client", async () => {
    h = await createHarness({ session: { revalidateAfterMs: MINUTE } });
    const { cookie } = await h.signIn(admin);
    const state = await h.authenticate({ cookie });
    if (!state.authenticated) throw new Error('expected a session');
    h.fake.sessions.revoke(h.tokensOf(1)[0]!);
    const refused = await state.client.request('GET', '/clients').catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'SESSION_REVOKED', status: 401 });
    // Our own words, not Paymo's body; and the next request is refused without asking Paymo.
    expect((refused as Error).message).toBe('Your Paymo session was ended. Sign in again.');
    h.fake.resetRequests();
    expect((await h.authenticate({ cookie })).authenticated).toBe(false);
    expect(h.fake.countRequests()).toBe(0);
  });

  it('never brings a session back when a "last seen" write races a sign-out everywhere', async () => {
    h = await createHarness({ session: { revalidateAfterMs: 60 * MINUTE, touchIntervalMs: MINUTE } });
    const { cookie } = await h.signIn(admin);
    h.advance(MINUTE);
    // The request has read the record; before its write lands, another instance revokes everything.
    h.store.beforeSet = async () => {
      h.store.beforeSet = undefined;
      await h.store.inner.deleteIndex('user:1');
    };
    const racing = await h.authenticate({ cookie });
    expect(racing.authenticated).toBe(false);
    expect((await h.authenticate({ cookie })).authenticated).toBe(false);
    expect(await h.store.inner.listIndex('user:1')).toEqual([]);
  });

  it('re-checks at most once per window while the session is alive', async () => {
    h = await createHarness({ session: { revalidateAfterMs: MINUTE } });
    const { cookie } = await h.signIn(admin);
    h.fake.resetRequests();
    for (let window = 0; window < 3; window++) {
      h.advance(MINUTE);
      for (let i = 0; i < 10; i++) expect((await h.authenticate({ cookie })).authenticated).toBe(true);
    }
    expect(revalidations(h.fake)).toBe(3);
    expect(h.fake.countRequests()).toBe(3);
  });

  it('is single-flight: 20 concurrent requests after the window make one upstream call', async () => {
    h = await createHarness({ session: { revalidateAfterMs: MINUTE } });
    const { cookie } = await h.signIn(admin);
    h.advance(MINUTE);
    h.fake.resetRequests();
    h.fake.faults.inject({ latencyMs: 100, method: 'GET', path: /^\/api\/sessions\// });
    const states = await Promise.all(Array.from({ length: 20 }, () => h.authenticate({ cookie })));
    expect(states.every((state) => state.authenticated)).toBe(true);
    expect(h.fake.countRequests()).toBe(1);
  });

  it('says SESSION_REVOKED for a session Paymo ended early, SESSION_EXPIRED (no upstream call) at its expiry', async () => {
    const day = 24 * 60 * MINUTE;
    h = await createHarness({ session: { maxAgeMs: 90 * day, idleTimeoutMs: 90 * day, revalidateAfterMs: MINUTE } });
    const early = await h.signIn(admin);
    h.fake.sessions.expire(h.tokensOf(1)[0]!);
    h.advance(MINUTE);
    const revoked = await h.authenticate({ cookie: early.cookie });
    expect(!revoked.authenticated && revoked.error.code).toBe('SESSION_REVOKED');

    const due = await h.signIn(admin);
    h.advance(31 * day);
    h.fake.resetRequests();
    const expired = await h.authenticate({ cookie: due.cookie });
    expect(!expired.authenticated && expired.error.code).toBe('SESSION_EXPIRED');
    expect(h.fake.countRequests()).toBe(0);
  });
});

describe('Paymo trouble during revalidation never signs anyone out', () => {
  it('429: that request gets 429 RATE_LIMITED with Retry-After, the session stays', async () => {
    h = await createHarness({ session: { revalidateAfterMs: MINUTE, revalidateGraceMs: 0 /* no degraded grace: these tests check the fail-closed answer */ } });
    const { cookie } = await h.signIn(admin);
    h.advance(MINUTE);
    h.fake.resetRequests();
    h.fake.faults.inject({ status: 429, retryAfter: 12, times: 1, method: 'GET', path: /^\/api\/sessions\// });
    const state = await h.authenticate({ cookie });
    expect(state.authenticated).toBe(false);
    if (state.authenticated) return;
    expect(state.error.code).toBe('RATE_LIMITED');
    expect(state.error.retryAfter).toBe(12);
    expect(state.setCookies).toEqual([]);
    const response = h.auth.errorResponse(state.error);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('12');

    // Within Paymo's Retry-After, requests are answered the same without another upstream call.
    h.advance(5 * SECOND);
    const during = await h.authenticate({ cookie });
    expect(!during.authenticated && during.error.code).toBe('RATE_LIMITED');
    expect(!during.authenticated && during.error.retryAfter).toBe(7);
    expect(h.fake.countRequests()).toBe(1);

    // Afterwards the check runs again and the session is still there.
    h.advance(8 * SECOND);
    expect((await h.authenticate({ cookie })).authenticated).toBe(true);
    expect(h.fake.countRequests()).toBe(2);
  });

  it('5xx and network failures: 503 UPSTREAM_UNAVAILABLE with Retry-After, the session stays', async () => {
    h = await createHarness({ session: { revalidateAfterMs: MINUTE, revalidateGraceMs: 0 /* no degraded grace: these tests check the fail-closed answer */ } });
    const { cookie } = await h.signIn(admin);
    h.advance(MINUTE);
    h.fake.faults.inject({ status: 502, times: 1, method: 'GET', path: /^\/api\/sessions\// });
    const state = await h.authenticate({ cookie });
    expect(!state.authenticated && state.error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(!state.authenticated && state.error.status).toBe(503);
    expect(!state.authenticated && state.error.retryAfter).toBeGreaterThan(0);
    expect(!state.authenticated && state.setCookies).toEqual([]);

    h.advance(10 * SECOND);
    h.fake.faults.inject({ drop: true, times: 1, method: 'GET', path: /^\/api\/sessions\// });
    const dropped = await h.authenticate({ cookie });
    expect(!dropped.authenticated && dropped.error.code).toBe('UPSTREAM_UNAVAILABLE');

    h.advance(10 * SECOND);
    expect((await h.authenticate({ cookie })).authenticated).toBe(true);
    // GET /session reports the trouble, never {session:null}.
    h.advance(MINUTE);
    h.fake.faults.inject({ status: 500, times: 1, method: 'GET', path: /^\/api\/sessions\// });
    const session = await h.send('/auth/session', { cookie });
    expect(session.status).toBe(503);
    expect(session.json.error.code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('a timeout counts as unavailable', async () => {
    h = await createHarness({ session: { revalidateAfterMs: MINUTE, revalidateGraceMs: 0 /* no degraded grace: these tests check the fail-closed answer */ }, timeoutMs: 100 });
    const { cookie } = await h.signIn(admin);
    h.advance(MINUTE);
    h.fake.faults.inject({ latencyMs: 400, times: 1, method: 'GET', path: /^\/api\/sessions\// });
    const state = await h.authenticate({ cookie });
    expect(!state.authenticated && state.error.code).toBe('UPSTREAM_UNAVAILABLE');
  });
});
