import { QueryClient } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PaymoAuthError } from '@paymo/auth-core';
import type { PaymoPublicSession } from '@paymo/auth-core';
import { createPaymoSessionObserver } from '../createPaymoSessionObserver.js';
import type { PaymoSessionObserverOptions } from '../createPaymoSessionObserver.js';
import type { PaymoSessionData } from '../createPaymoAuthClient.js';
import { paymoAuthKeys } from '../paymoAuthKeys.js';

// The observer without React: a scripted `/auth/session` (what the server would answer) and fake
// timers, so the expiry timers can be checked to the millisecond. The hook and provider tests run the
// same behaviour against the real server.

const SECOND = 1_000;
const key = paymoAuthKeys.session('/auth');

function sessionOf(id: number, name: string, expiresAt: number): PaymoPublicSession {
  return {
    user: { id, name, email: `${id}@example.test`, type: 'Admin' },
    expiresAt: new Date(expiresAt).toISOString(),
    createdAt: new Date(0).toISOString(),
    strategy: 'cookie',
  };
}

/** A stand-in for `GET /auth/session`: answers `answer` (changeable), or nothing while `down`; counts the calls. */
function scriptedSession(answer: PaymoSessionData | { session: null; reason: string }) {
  const server = {
    answer: answer as unknown,
    down: false,
    calls: 0,
    fetch: (async () => {
      server.calls++;
      if (server.down) throw new TypeError('fetch failed');
      return new Response(JSON.stringify(server.answer), { headers: { 'content-type': 'application/json' } });
    }) as typeof fetch,
  };
  return server;
}

let stop = () => {};
afterEach(() => {
  stop();
  vi.useRealTimers();
});

function observe(fetch: typeof globalThis.fetch, options: Partial<PaymoSessionObserverOptions> = {}) {
  const queryClient = new QueryClient();
  const observer = createPaymoSessionObserver({ basePath: '/auth', fetch, queryClient, broadcast: false, ...options });
  return { queryClient, observer, start: () => (stop = observer.start()) };
}

describe('createPaymoSessionObserver', () => {
  it('keeps one snapshot object until the session, its status or its error change', async () => {
    const server = scriptedSession({ session: sessionOf(1, 'Michael', Date.now() + 3_600_000) });
    const { observer, queryClient, start } = observe(server.fetch);
    const loading = observer.getSnapshot();
    expect(loading).toMatchObject({ status: 'loading', session: null, user: null, expiresAt: null, error: null });
    expect(observer.getSnapshot()).toBe(loading);

    const changes = vi.fn();
    const unsubscribe = observer.subscribe(changes);
    start();
    await vi.waitFor(() => expect(observer.getSnapshot().status).toBe('authenticated'));
    const signedIn = observer.getSnapshot();
    expect(signedIn.user?.name).toBe('Michael');
    expect(signedIn.expiresAt).toBeInstanceOf(Date);
    expect(changes).toHaveBeenCalledTimes(1); // the fetch starting and ending is not a change

    // The same answer again: structurally shared, so the very same snapshot (no re-render anywhere).
    await observer.refetch();
    expect(server.calls).toBe(2);
    expect(observer.getSnapshot()).toBe(signedIn);
    expect(changes).toHaveBeenCalledTimes(1);

    server.answer = { session: sessionOf(1, 'Michael Scott', Date.now() + 3_600_000) };
    await observer.refetch();
    expect(observer.getSnapshot()).not.toBe(signedIn);
    expect(observer.getSnapshot().user?.name).toBe('Michael Scott');
    expect(changes).toHaveBeenCalledTimes(2);

    unsubscribe();
    queryClient.setQueryData<PaymoSessionData>(key, { session: null });
    expect(observer.getSnapshot().status).toBe('unauthenticated');
    expect(changes).toHaveBeenCalledTimes(2);
  });

  it('reads a hydrated session before it starts, and fetches nothing while it is fresh', () => {
    const server = scriptedSession({ session: null });
    const session = sessionOf(1, 'Michael', Date.now() + 3_600_000);
    const { observer, start } = observe(server.fetch, { initialSession: session, initialSessionAt: Date.now() });
    expect(observer.getSnapshot()).toMatchObject({ status: 'authenticated', session });
    start();
    expect(server.calls).toBe(0);
  });

  it('warns warnBefore ahead and ends the session at expiresAt, one check each, with timers only', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const expiresAt = Date.now() + 10 * SECOND;
    const server = scriptedSession({ session: sessionOf(1, 'Michael', expiresAt) });
    const onExpiring = vi.fn();
    const onExpired = vi.fn();
    const { observer, queryClient, start } = observe(server.fetch, { warnBefore: 3 * SECOND, onExpiring, onExpired });
    queryClient.setQueryData(['projects'], ["Michael's"]);
    start();
    await vi.advanceTimersByTimeAsync(0);
    expect(observer.getSnapshot().status).toBe('authenticated');
    expect(server.calls).toBe(1);

    await vi.advanceTimersByTimeAsync(7 * SECOND - 1);
    expect(onExpiring).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(server.calls).toBe(2); // asked once before warning
    expect(onExpiring).toHaveBeenCalledTimes(1);
    expect(onExpiring).toHaveBeenCalledWith({ expiresAt: new Date(expiresAt), expiresIn: 3 * SECOND });

    // The cookie ends with the session: at the deadline the server knows nothing of it any more.
    server.answer = { session: null };
    await vi.advanceTimersByTimeAsync(3 * SECOND - 1);
    expect(observer.getSnapshot().status).toBe('authenticated');
    await vi.advanceTimersByTimeAsync(1);
    expect(server.calls).toBe(3);
    expect(observer.getSnapshot()).toMatchObject({ status: 'unauthenticated', session: null, error: { code: 'SESSION_EXPIRED' } });
    expect(onExpired).toHaveBeenCalledTimes(1);
    expect(queryClient.getQueryData(['projects'])).toBeUndefined();

    await vi.advanceTimersByTimeAsync(60 * SECOND);
    expect(server.calls).toBe(3); // no polling
    expect(onExpiring).toHaveBeenCalledTimes(1);
    expect(onExpired).toHaveBeenCalledTimes(1);
  });

  it('re-arms for a later expiresAt the check found (idle timeout moved it), and ends on no answer at the deadline', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const first = Date.now() + 10 * SECOND;
    const later = first + 20 * SECOND;
    const server = scriptedSession({ session: sessionOf(1, 'Michael', first) });
    const onExpiring = vi.fn();
    const onExpired = vi.fn();
    const { observer, start } = observe(server.fetch, { warnBefore: 3 * SECOND, onExpiring, onExpired });
    start();
    await vi.advanceTimersByTimeAsync(0);

    server.answer = { session: sessionOf(1, 'Michael', later) };
    await vi.advanceTimersByTimeAsync(7 * SECOND);
    expect(onExpiring).not.toHaveBeenCalled(); // moved later: no warning for the old time
    await vi.advanceTimersByTimeAsync(3 * SECOND);
    expect(observer.getSnapshot().status).toBe('authenticated'); // nor an end
    await vi.advanceTimersByTimeAsync(17 * SECOND);
    expect(onExpiring).toHaveBeenCalledTimes(1);
    expect(onExpiring.mock.calls[0]![0].expiresAt).toEqual(new Date(later));

    // The server cannot be reached at the deadline: the session is over all the same.
    server.down = true;
    const calls = server.calls;
    await vi.advanceTimersByTimeAsync(3 * SECOND);
    expect(server.calls).toBe(calls + 1);
    expect(observer.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: { code: 'SESSION_EXPIRED' } });
    expect(onExpired).toHaveBeenCalledTimes(1);
  });

  it('removes every other query when the user changes, and only then', async () => {
    const server = scriptedSession({ session: sessionOf(1, 'Michael', Date.now() + 3_600_000) });
    const { observer, queryClient, start } = observe(server.fetch);
    queryClient.setQueryData(['projects'], ['loaded before the first answer']);
    start();
    await vi.waitFor(() => expect(observer.getSnapshot().status).toBe('authenticated'));
    expect(queryClient.getQueryData(['projects'])).toEqual(['loaded before the first answer']); // the first answer is no switch

    queryClient.setQueryData(['projects'], ["Michael's"]);
    observer.applySession({ session: sessionOf(1, 'Michael', Date.now() + 7_200_000) }, 'sign-in');
    expect(queryClient.getQueryData(['projects'])).toEqual(["Michael's"]); // same user

    observer.applySession({ session: sessionOf(2, 'Dwight', Date.now() + 3_600_000) }, 'sign-in');
    expect(queryClient.getQueryData(['projects'])).toBeUndefined();
    expect(observer.getSnapshot().user?.name).toBe('Dwight');
    expect(queryClient.getQueryData(key)).toBeDefined(); // the session query stays

    queryClient.setQueryData(['projects'], ["Dwight's"]);
    observer.applySession({ session: null }, 'sign-out');
    expect(queryClient.getQueryData(['projects'])).toBeUndefined();
    expect(observer.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: null });
  });

  it("ends the session with the code of a query's 401, and a later signed-out answer keeps why", async () => {
    const server = scriptedSession({ session: sessionOf(1, 'Michael', Date.now() + 3_600_000) });
    const { observer, queryClient, start } = observe(server.fetch);
    start();
    await vi.waitFor(() => expect(observer.getSnapshot().status).toBe('authenticated'));
    const fail = (queryKey: readonly unknown[], error: Error) =>
      queryClient.fetchQuery({ queryKey, queryFn: () => Promise.reject(error), retry: false }).catch(() => undefined);

    await fail(['clients'], new PaymoAuthError('FORBIDDEN', 'no'));
    await fail(paymoAuthKeys.paymo('http://other.test/auth', 1, 'me'), new PaymoAuthError('SESSION_REVOKED', 'not ours'));
    await fail(['clients'], new PaymoAuthError('SESSION_EXPIRED', 'a proxy said so', { status: 502 }));
    expect(observer.getSnapshot().status).toBe('authenticated');

    await fail(['clients'], new PaymoAuthError('SESSION_REVOKED', 'Your Paymo session was ended. Sign in again.'));
    expect(observer.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: { code: 'SESSION_REVOKED' } });

    // That 401 cleared the cookie: the server's next answer is a plain "nobody", which says no more.
    server.answer = { session: null };
    await observer.refetch();
    expect(server.calls).toBe(2);
    expect(observer.getSnapshot().error?.code).toBe('SESSION_REVOKED');
  });

  it('takes the reason the server gives, and guesses none when it gives none', async () => {
    const server = scriptedSession({ session: sessionOf(1, 'Michael', Date.now() + 3_600_000) });
    const onExpired = vi.fn();
    const { observer, start } = observe(server.fetch, { onExpired });
    start();
    await vi.waitFor(() => expect(observer.getSnapshot().status).toBe('authenticated'));
    server.answer = { session: null };
    await observer.refetch();
    expect(observer.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: null });

    const again = observe(scriptedSession({ session: null, reason: 'SESSION_EXPIRED' }).fetch, { onExpired });
    again.start();
    await vi.waitFor(() => expect(again.observer.getSnapshot().status).toBe('unauthenticated'));
    expect(again.observer.getSnapshot().error).toMatchObject({ code: 'SESSION_EXPIRED', message: 'Your session has expired. Please sign in again.' });
    expect(onExpired).not.toHaveBeenCalled(); // nothing this tab showed has ended
  });

  it('stops its timers when stopped, and starts again', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const server = scriptedSession({ session: sessionOf(1, 'Michael', Date.now() + 10 * SECOND) });
    const onExpired = vi.fn();
    const { observer, queryClient } = observe(server.fetch, { onExpired });
    const stopFirst = observer.start();
    await vi.advanceTimersByTimeAsync(0);
    stopFirst();
    await vi.advanceTimersByTimeAsync(20 * SECOND);
    expect(onExpired).not.toHaveBeenCalled();
    expect(observer.getSnapshot().status).toBe('authenticated');

    queryClient.setQueryData<PaymoSessionData>(key, { session: sessionOf(1, 'Michael', Date.now() + 10 * SECOND) });
    stop = observer.start();
    server.answer = { session: null };
    await vi.advanceTimersByTimeAsync(10 * SECOND);
    expect(onExpired).toHaveBeenCalledTimes(1);
  });
});
