// @vitest-environment happy-dom
import { StrictMode } from 'react';
import type { ReactNode } from 'react';
import { act, cleanup, render, renderHook, screen, waitFor } from '@testing-library/react';
import { useMutation } from '@tanstack/react-query';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PaymoAuthProviderProps } from '../PaymoAuthProvider.js';
import { usePaymoAuth } from '../PaymoAuthContext.js';
import { SignedIn } from '../SignedIn.js';
import { SignedOut } from '../SignedOut.js';
import { paymoAuthKeys } from '../paymoAuthKeys.js';
import { paymoSignInMutationOptions } from '../paymoSignInMutationOptions.js';
import { usePaymoSession } from '../usePaymoSession.js';
import { usePaymoSessions } from '../usePaymoSessions.js';
import { usePaymoSignIn } from '../usePaymoSignIn.js';
import { dwight, michael, signInByFetch, sleep } from './support/credentials.js';
import { clearSession, openTab, visit } from './support/openTab.js';
import { startAuthServer } from './support/startAuthServer.js';
import type { AuthServer } from './support/startAuthServer.js';

let server: AuthServer;
beforeAll(async () => {
  server = await startAuthServer();
  visit(server.url);
});
afterAll(() => server.close());
beforeEach(async () => {
  await server.configure({});
  await server.resetAuthRequests();
});
afterEach(async () => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  await server.fake('faults.clear');
  await server.fake('rateLimit.reset');
  await clearSession();
});

const sessionRequests = async () => (await server.authRequests()).filter((line) => line === 'GET /auth/session').length;

/** Renders usePaymoSession in a tab and waits for its first answer. */
async function mountSession(props: Omit<PaymoAuthProviderProps, 'children'> = {}) {
  const tab = openTab(props);
  const statuses: string[] = [];
  const hook = renderHook(
    () => {
      const session = usePaymoSession();
      statuses.push(session.status);
      return session;
    },
    { wrapper: tab.wrapper },
  );
  await waitFor(() => expect(hook.result.current.status).not.toBe('loading'));
  return { ...tab, result: hook.result, statuses };
}

describe('the previous user\'s data', () => {
  it('is removed from the query cache on sign-out; the session query stays', async () => {
    await signInByFetch();
    const { queryClient, result } = await mountSession();
    expect(result.current.status).toBe('authenticated');
    queryClient.setQueryData(['projects'], [{ id: 1, name: "Michael's project" }]);
    await act(async () => {
      expect((await result.current.signOut()).error).toBeNull();
    });
    await waitFor(() => expect(result.current.status).toBe('unauthenticated'));
    expect(queryClient.getQueryData(['projects'])).toBeUndefined();
    expect(queryClient.getQueryData(paymoAuthKeys.session('/auth'))).toEqual({ session: null });
    expect(result.current.error).toBeNull(); // signing out is not an error
    expect(await server.authRequests()).toContain('POST /auth/sign-out');
  });

  it('is removed when another user signs in without signing out first', async () => {
    await signInByFetch(michael);
    const { queryClient, result } = await mountSession();
    queryClient.setQueryData(['projects'], ["Michael's"]);
    await act(async () => {
      await result.current.signIn(dwight);
    });
    await waitFor(() => expect(result.current.user?.name).toBe('Dwight Schrute'));
    expect(queryClient.getQueryData(['projects'])).toBeUndefined();
  });

  it('stays when the same user is confirmed by a refetch', async () => {
    await signInByFetch(michael);
    const { queryClient, result } = await mountSession();
    queryClient.setQueryData(['projects'], ["Michael's"]);
    await act(() => result.current.refetch());
    expect(result.current.status).toBe('authenticated');
    expect(queryClient.getQueryData(['projects'])).toEqual(["Michael's"]);
    expect(await sessionRequests()).toBe(2);
  });
});

describe('other tabs', () => {
  it('follow sign-out and sign-in over BroadcastChannel', async () => {
    await signInByFetch();
    const tabA = await mountSession();
    const tabB = await mountSession();
    tabB.queryClient.setQueryData(['projects'], ["Michael's"]);
    expect(tabB.result.current.status).toBe('authenticated');

    await act(async () => void (await tabA.result.current.signOut()));
    await waitFor(() => expect(tabB.result.current.status).toBe('unauthenticated'));
    expect(tabB.result.current.error).toBeNull(); // not "revoked": this browser signed out
    expect(tabB.queryClient.getQueryData(['projects'])).toBeUndefined();

    await act(async () => void (await tabA.result.current.signIn(dwight)));
    await waitFor(() => expect(tabB.result.current.user?.name).toBe('Dwight Schrute'));
  });

  it('are left alone with broadcast={false}', async () => {
    await signInByFetch();
    const tabA = await mountSession({ broadcast: false });
    const tabB = await mountSession({ broadcast: false });
    await act(async () => void (await tabA.result.current.signOut()));
    await sleep(300);
    expect(tabB.result.current.status).toBe('authenticated');
    expect(await sessionRequests()).toBe(2); // each tab's first load, nothing after
  });

  it('follow through storage events where there is no BroadcastChannel, and storage holds no secret', async () => {
    vi.stubGlobal('BroadcastChannel', undefined);
    const writes: [string, string][] = [];
    const setItem = Storage.prototype.setItem;
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(function (this: Storage, key: string, value: string) {
      writes.push([key, value]);
      setItem.call(this, key, value);
    });
    await signInByFetch();
    const tabA = await mountSession();
    const tabB = await mountSession();
    await act(async () => void (await tabA.result.current.signOut()));
    expect(writes).toHaveLength(1);
    const [key, value] = writes[0]!;
    expect(key).toBe('paymo-auth:/auth');
    expect(Object.keys(JSON.parse(value) as object).sort()).toEqual(['at', 'type']);
    expect(JSON.parse(value)).toMatchObject({ type: 'signed-out' });
    expect(localStorage.length).toBe(0); // written and removed at once
    // What the browser delivers to the other tabs of the origin:
    act(() => void window.dispatchEvent(new StorageEvent('storage', { key, newValue: value })));
    await waitFor(() => expect(tabB.result.current.status).toBe('unauthenticated'));
  });
});

describe('expiry', () => {
  it('warns warnBefore ahead and ends at expiresAt with timers, one check each, no polling', async () => {
    // Seconds apart, so the check before each timer's action fits on a loaded machine.
    await server.configure({ session: { maxAgeMs: 8_000 } });
    const onExpiring = vi.fn();
    const onExpired = vi.fn();
    const { result, queryClient } = await mountSession({ warnBefore: 4_000, onExpiring, onExpired });
    await act(async () => void (await result.current.signIn(michael)));
    await waitFor(() => expect(result.current.status).toBe('authenticated'));
    queryClient.setQueryData(['projects'], ["Michael's"]);
    const expiresAt = result.current.expiresAt!.getTime();
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(8_000);

    await waitFor(() => expect(onExpiring).toHaveBeenCalledTimes(1), { timeout: 8_000 });
    const [info] = onExpiring.mock.calls[0] as [{ expiresAt: Date; expiresIn: number }];
    expect(info.expiresAt.getTime()).toBe(expiresAt);
    expect(info.expiresIn).toBeGreaterThan(0);
    expect(info.expiresIn).toBeLessThanOrEqual(4_000);
    expect(onExpired).not.toHaveBeenCalled();

    await waitFor(() => expect(result.current.status).toBe('unauthenticated'), { timeout: 8_000 });
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
    expect(result.current.error?.code).toBe('SESSION_EXPIRED');
    expect(onExpired).toHaveBeenCalledTimes(1);
    expect(queryClient.getQueryData(['projects'])).toBeUndefined();
    // First load, the check before warning, the check at expiry: nothing in between.
    expect(await sessionRequests()).toBe(3);
    await sleep(500);
    expect(await sessionRequests()).toBe(3);
    expect(onExpired).toHaveBeenCalledTimes(1);
  });

  it('tells a session ended in Paymo (revoked) from one that expired', async () => {
    await server.configure({ session: { revalidateAfterMs: 1 } });
    await signInByFetch();
    const onExpired = vi.fn();
    const { result } = await mountSession({ onExpired });
    expect(result.current.status).toBe('authenticated');
    for (const session of (await server.fake('sessions.list', 1)) as { id: string }[]) await server.fake('sessions.revoke', session.id);
    await act(() => result.current.refetch());
    await waitFor(() => expect(result.current.status).toBe('unauthenticated'));
    expect(result.current.error?.code).toBe('SESSION_REVOKED');
    expect(result.current.error?.message).toBe('Your session was ended. Please sign in again.');
    expect(onExpired).not.toHaveBeenCalled();
  });
});

describe('a server in trouble never signs anyone out', () => {
  it('Paymo 503: degraded, session kept, back to authenticated when it recovers', async () => {
    await server.configure({ session: { revalidateAfterMs: 1, revalidateGraceMs: 0 /* no degraded grace: these tests check the fail-closed answer */ } });
    await signInByFetch();
    render(<SignedIn>dashboard</SignedIn>, { wrapper: openTab().wrapper });
    await screen.findByText('dashboard');
    const { result, statuses } = await mountSession();
    await server.fake('faults.inject', { status: 503, retryAfter: 1, method: 'GET' });
    await act(() => result.current.refetch());
    await waitFor(() => expect(result.current.status).toBe('degraded'));
    expect(result.current.user?.name).toBe('Michael Scott');
    expect(result.current.error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 503 });
    expect(screen.getByText('dashboard')).toBeTruthy();

    await server.fake('faults.clear');
    await sleep(1_100); // the server's Retry-After
    await act(() => result.current.refetch());
    await waitFor(() => expect(result.current.status).toBe('authenticated'));
    expect(result.current.error).toBeNull();
    expect(statuses).not.toContain('unauthenticated');
  });

  it('Paymo 429: degraded with RATE_LIMITED', async () => {
    await server.configure({ session: { revalidateAfterMs: 1, revalidateGraceMs: 0 /* no degraded grace: these tests check the fail-closed answer */ } });
    await signInByFetch();
    const { result, statuses } = await mountSession();
    await server.fake('rateLimit.exhaust');
    await act(() => result.current.refetch());
    await waitFor(() => expect(result.current.status).toBe('degraded'));
    expect(result.current.error).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    expect(result.current.error?.retryAfter).toBeGreaterThan(0);
    expect(result.current.session?.user.name).toBe('Michael Scott');
    expect(statuses).not.toContain('unauthenticated');
  });

  it('our server down: degraded with status 0, then authenticated again', async () => {
    await signInByFetch();
    const { result, statuses } = await mountSession();
    await server.stop();
    try {
      await act(() => result.current.refetch());
      await waitFor(() => expect(result.current.status).toBe('degraded'));
      expect(result.current.error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 0 });
      expect(result.current.user?.name).toBe('Michael Scott');
      const signOut = await result.current.signOut();
      expect(signOut.error?.code).toBe('UPSTREAM_UNAVAILABLE'); // the cookie is still valid: nothing changes
      expect(result.current.session).not.toBeNull();
    } finally {
      await server.start();
    }
    await act(() => result.current.refetch());
    await waitFor(() => expect(result.current.status).toBe('authenticated'));
    expect(statuses).not.toContain('unauthenticated');
  });

  it('a signed-out visitor still sees the sign-in form while the server is down', async () => {
    await server.stop();
    try {
      render(
        <>
          <SignedIn>dashboard</SignedIn>
          <SignedOut>sign-in form</SignedOut>
        </>,
        { wrapper: openTab().wrapper },
      );
      await screen.findByText('sign-in form');
      const { result } = await mountSession();
      expect(result.current).toMatchObject({ status: 'degraded', user: null, error: { code: 'UPSTREAM_UNAVAILABLE' } });
    } finally {
      await server.start();
    }
  });
});

describe('StrictMode', () => {
  it('survives the double effects: sign-out still purges and reaches the other tab', async () => {
    await signInByFetch();
    const strict = (tab: ReturnType<typeof openTab>) => ({ children }: { children?: ReactNode }) => (
      <StrictMode>
        <tab.wrapper>{children}</tab.wrapper>
      </StrictMode>
    );
    const tabA = openTab();
    const tabB = openTab();
    const a = renderHook(() => usePaymoSession(), { wrapper: strict(tabA) });
    const b = renderHook(() => usePaymoSession(), { wrapper: strict(tabB) });
    await waitFor(() => expect(a.result.current.status).toBe('authenticated'));
    await waitFor(() => expect(b.result.current.status).toBe('authenticated'));
    // (No request count: on React 18 the simulated unmount aborts the first fetch, and TanStack fetches again.)
    tabA.queryClient.setQueryData(['projects'], ["Michael's"]);
    await act(async () => void (await a.result.current.signOut()));
    expect(tabA.queryClient.getQueryData(['projects'])).toBeUndefined();
    await waitFor(() => expect(b.result.current.status).toBe('unauthenticated'));
  });
});

describe('initialSession', () => {
  it('hydrates a signed-in first render with no request', async () => {
    const session = await signInByFetch();
    await server.resetAuthRequests();
    const { result, statuses } = await mountSession({ initialSession: session });
    expect(statuses[0]).toBe('authenticated');
    expect(result.current.user?.name).toBe('Michael Scott');
    await sleep(200);
    expect(await sessionRequests()).toBe(0);
  });

  it('hydrates a signed-out first render with no request', async () => {
    const { statuses } = await mountSession({ initialSession: null });
    expect(statuses[0]).toBe('unauthenticated');
    await sleep(200);
    expect(await sessionRequests()).toBe(0);
  });
});

describe('secrets', () => {
  it('no password or API key is kept in storage, the query cache or the mutation cache', async () => {
    const { result, queryClient } = await mountSession();
    const form = { email: michael.email, password: michael.password };
    await act(async () => void (await result.current.signIn(form)));
    await waitFor(() => expect(result.current.status).toBe('authenticated'));
    expect(form.password).toBe(michael.password); // the caller's object is theirs: a copy was sent
    await sleep(20); // gcTime 0: the settled sign-in mutation leaves the cache
    const everything = JSON.stringify({
      queries: queryClient.getQueryCache().getAll().map((query) => query.state),
      mutations: queryClient.getMutationCache().getAll().map((mutation) => mutation.state),
    });
    expect(everything).not.toContain(michael.password);
    expect(localStorage.length + sessionStorage.length).toBe(0);
    expect(document.cookie).toBe(''); // the session cookie is HttpOnly
  });

  it('usePaymoSignIn and the raw factory do not keep the credentials as mutation variables', async () => {
    const tab = openTab();
    const { result } = renderHook(
      () => ({ hook: usePaymoSignIn(), raw: useMutation(paymoSignInMutationOptions(usePaymoAuth())) }),
      { wrapper: tab.wrapper },
    );
    const form = { apiKey: 'not-a-real-key-but-a-secret' };
    act(() => result.current.hook.mutate(form));
    await waitFor(() => expect(result.current.hook.isError).toBe(true));
    expect(form.apiKey).toBe('not-a-real-key-but-a-secret'); // usePaymoSignIn sent a copy
    expect(JSON.stringify(result.current.hook.variables ?? {})).not.toContain('secret');

    const literal = { email: michael.email, password: michael.password };
    act(() => result.current.raw.mutate(literal));
    await waitFor(() => expect(result.current.raw.isSuccess).toBe(true));
    expect(literal).toEqual({ email: michael.email }); // documented: the factory wipes what it sent
    expect(JSON.stringify(result.current.raw.variables)).not.toContain(michael.password);
  });
});

describe('sessions list and sign out everywhere', () => {
  it('lists opaque handles, and sign-out-everywhere ends every Paymo session', async () => {
    await signInByFetch();
    const tab = openTab();
    const { result } = renderHook(() => ({ session: usePaymoSession(), sessions: usePaymoSessions() }), { wrapper: tab.wrapper });
    // The list queues for room in the user's Paymo quota (5 per 5 s, spent by this file's earlier
    // tests) rather than meeting a 429: it may take up to a window.
    await waitFor(() => expect(result.current.sessions.data?.length).toBeGreaterThan(0), { timeout: 15_000 });
    const paymoIds = ((await server.fake('sessions.list', 1)) as { id: string }[]).map((s) => s.id);
    expect(paymoIds.length).toBeGreaterThan(0);
    const listed = result.current.sessions.data ?? [];
    expect(listed.filter((s) => s.current)).toHaveLength(1);
    for (const entry of listed) expect(paymoIds).not.toContain(entry.handle);
    expect(JSON.stringify(listed)).not.toMatch(new RegExp(paymoIds.join('|')));

    let outcome: { revoked: number; error: unknown } | undefined;
    await act(async () => {
      outcome = await result.current.session.signOutEverywhere();
    });
    expect(outcome).toMatchObject({ error: null });
    expect(outcome?.revoked).toBeGreaterThanOrEqual(1);
    await waitFor(() => expect(result.current.session.status).toBe('unauthenticated'));
    expect(await server.fake('sessions.list', 1)).toEqual([]);
    expect(tab.queryClient.getQueryData(paymoAuthKeys.sessions('/auth'))).toBeUndefined();
  }, 45_000);
});
