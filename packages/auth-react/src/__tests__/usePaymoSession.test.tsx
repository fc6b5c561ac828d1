// @vitest-environment happy-dom
import { act, cleanup, render, renderHook, screen, waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SignedIn } from '../SignedIn.js';
import { SignedOut } from '../SignedOut.js';
import { usePaymoSession } from '../usePaymoSession.js';
import { usePaymoSignIn } from '../usePaymoSignIn.js';
import { deferred, dwightApiKey, michael, signInByFetch, sleep } from './support/credentials.js';
import { clearSession, openTab, visit } from './support/openTab.js';
import { startAuthServer } from './support/startAuthServer.js';
import type { AuthServer } from './support/startAuthServer.js';

let server: AuthServer;
beforeAll(async () => {
  server = await startAuthServer();
  visit(server.url);
});
afterAll(() => server.close());
beforeEach(() => server.resetAuthRequests());
afterEach(async () => {
  cleanup();
  await clearSession();
});

const sessionRequests = async () => (await server.authRequests()).filter((line) => line === 'GET /auth/session').length;

describe('usePaymoSession', () => {
  it('throws a CONFIG_ERROR naming PaymoAuthProvider when used outside it', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() => renderHook(() => usePaymoSession())).toThrow(/usePaymoSession\(\) must be used inside <PaymoAuthProvider>/);
    vi.restoreAllMocks();
  });

  it('is loading until the server answers, then unauthenticated, with nothing rendered meanwhile', async () => {
    const gate = deferred();
    const gatedFetch: typeof fetch = async (input, init) => {
      await gate.promise;
      return fetch(input, init);
    };
    const statuses: string[] = [];
    function Status() {
      const { status } = usePaymoSession();
      statuses.push(status);
      return <p>status: {status}</p>;
    }
    render(
      <>
        <Status />
        <SignedIn>signed-in content</SignedIn>
        <SignedOut>signed-out content</SignedOut>
      </>,
      { wrapper: openTab({ fetch: gatedFetch }).wrapper },
    );
    await sleep(100); // the request is in flight, held by the gate
    expect(screen.getByText('status: loading')).toBeTruthy();
    expect(screen.queryByText('signed-out content')).toBeNull();
    expect(screen.queryByText('signed-in content')).toBeNull();
    gate.resolve();
    await screen.findByText('signed-out content');
    expect(screen.getByText('status: unauthenticated')).toBeTruthy();
    expect(new Set(statuses)).toEqual(new Set(['loading', 'unauthenticated']));
  });

  it('never flashes signed-out content for a signed-in user on load', async () => {
    await signInByFetch();
    await server.resetAuthRequests();
    let signedOutRenders = 0;
    function Out() {
      signedOutRenders++;
      return <p>sign-in form</p>;
    }
    render(
      <>
        <SignedIn>dashboard</SignedIn>
        <SignedOut>
          <Out />
        </SignedOut>
      </>,
      { wrapper: openTab().wrapper },
    );
    await screen.findByText('dashboard');
    expect(signedOutRenders).toBe(0);
    expect(await sessionRequests()).toBe(1);
  });

  it('signs in with email and password: authenticated, user, expiresAt, expiresIn; a new tab stays signed in', async () => {
    const tab = openTab();
    const { result } = renderHook(() => usePaymoSession(), { wrapper: tab.wrapper });
    await waitFor(() => expect(result.current.status).toBe('unauthenticated'));
    expect(result.current).toMatchObject({ user: null, session: null, expiresAt: null, expiresIn: null, error: null });

    let outcome: Awaited<ReturnType<typeof result.current.signIn>> | undefined;
    await act(async () => {
      outcome = await result.current.signIn(michael);
    });
    expect(outcome?.error).toBeNull();
    expect(outcome?.session?.user.name).toBe('Michael Scott');
    // The session is written into the cache from the sign-in answer: no extra GET.
    await waitFor(() => expect(result.current.status).toBe('authenticated'));
    const current = result.current;
    if (current.status !== 'authenticated') throw new Error('narrowing');
    expect(current.user).toMatchObject({ id: 1, name: 'Michael Scott', email: michael.email, type: 'Admin' });
    expect(current.expiresAt).toBeInstanceOf(Date);
    expect(current.expiresAt.getTime()).toBeGreaterThan(Date.now());
    expect(current.expiresIn).toBeGreaterThan(0);
    expect(current.expiresIn).toBeLessThanOrEqual(current.expiresAt.getTime() - Date.now() + 5);
    expect(await server.authRequests()).toEqual(['GET /auth/session', 'POST /auth/sign-in']);

    // "Reload": a fresh QueryClient and provider, same cookie jar.
    const reloaded = renderHook(() => usePaymoSession(), { wrapper: openTab().wrapper });
    await waitFor(() => expect(reloaded.result.current.status).toBe('authenticated'));
    expect(reloaded.result.current.user?.name).toBe('Michael Scott');
  });

  it('signs in with an API key', async () => {
    const { result } = renderHook(() => usePaymoSession(), { wrapper: openTab().wrapper });
    await waitFor(() => expect(result.current.status).toBe('unauthenticated'));
    await act(async () => {
      await result.current.signIn({ apiKey: dwightApiKey });
    });
    await waitFor(() => expect(result.current.status).toBe('authenticated'));
    expect(result.current.user?.name).toBe('Dwight Schrute');
  });

  it('reports a wrong password as INVALID_CREDENTIALS and stays unauthenticated (signIn never rejects)', async () => {
    const { result } = renderHook(() => ({ session: usePaymoSession(), form: usePaymoSignIn() }), { wrapper: openTab().wrapper });
    await waitFor(() => expect(result.current.session.status).toBe('unauthenticated'));
    let outcome: Awaited<ReturnType<typeof result.current.session.signIn>> | undefined;
    await act(async () => {
      outcome = await result.current.session.signIn({ email: michael.email, password: 'wrong' });
    });
    expect(outcome).toMatchObject({ session: null, error: { code: 'INVALID_CREDENTIALS', status: 401 } });
    expect(result.current.session.status).toBe('unauthenticated');
    expect(result.current.session.error).toBeNull();

    act(() => result.current.form.mutate({ email: michael.email, password: 'still wrong' }));
    await waitFor(() => expect(result.current.form.error?.code).toBe('INVALID_CREDENTIALS'));
    expect(result.current.form.error?.message).not.toContain('still wrong');
  });

  it('makes one request however many components ask', async () => {
    await signInByFetch();
    await server.resetAuthRequests();
    function Consumer({ n }: { n: number }) {
      const { status, user } = usePaymoSession();
      return <li>{`${n}:${status}:${user?.name ?? ''}`}</li>;
    }
    render(
      <ul>
        {Array.from({ length: 30 }, (_, n) => (
          <Consumer key={n} n={n} />
        ))}
        <SignedIn>
          <Consumer n={99} />
        </SignedIn>
      </ul>,
      { wrapper: openTab().wrapper },
    );
    await screen.findByText('99:authenticated:Michael Scott');
    expect(screen.getByText('0:authenticated:Michael Scott')).toBeTruthy();
    expect(await sessionRequests()).toBe(1);
  });

  it('refetches on focus at most once per refetchThrottleMs', async () => {
    await signInByFetch();
    const { result } = renderHook(() => usePaymoSession(), { wrapper: openTab({ refetchThrottleMs: 3_000 }).wrapper });
    await waitFor(() => expect(result.current.status).toBe('authenticated'));
    await server.resetAuthRequests();
    const loadedAt = Date.now();
    const focus = () => act(() => void window.dispatchEvent(new Event('visibilitychange')));
    for (let i = 0; i < 5; i++) focus();
    await sleep(150);
    expect(await sessionRequests()).toBe(0); // still fresh
    await sleep(Math.max(0, loadedAt + 3_050 - Date.now()));
    for (let i = 0; i < 5; i++) focus();
    await waitFor(async () => expect(await sessionRequests()).toBe(1));
    await sleep(150);
    expect(await sessionRequests()).toBe(1); // five focus events, one request
  });

  it('refetches a stale session when a component mounts later, once however many mount', async () => {
    await signInByFetch();
    function Page({ more }: { more: number }) {
      const { status } = usePaymoSession();
      return (
        <>
          <p>page: {status}</p>
          {Array.from({ length: more }, (_, n) => (
            <SignedIn key={n}>more</SignedIn>
          ))}
        </>
      );
    }
    // Throttle long enough that the "still fresh" check holds on a loaded machine.
    const tab = openTab({ refetchThrottleMs: 3_000 });
    const view = render(<Page more={0} />, { wrapper: tab.wrapper });
    await screen.findByText('page: authenticated');
    await server.resetAuthRequests();
    view.rerender(<Page more={3} />);
    await sleep(100);
    expect(await sessionRequests()).toBe(0); // still fresh
    await sleep(3_000);
    view.rerender(<Page more={6} />);
    await waitFor(async () => expect(await sessionRequests()).toBe(1));
    await sleep(100);
    expect(await sessionRequests()).toBe(1);
  });

  it('keeps a reading component ticking: expiresIn decreases live', async () => {
    await signInByFetch();
    let countdownRenders = 0;
    let plainRenders = 0;
    function Countdown() {
      const { expiresIn } = usePaymoSession();
      countdownRenders++;
      return <p>left: {expiresIn === null ? '-' : Math.floor(expiresIn / 1000)}</p>;
    }
    function Plain() {
      const { user } = usePaymoSession();
      plainRenders++;
      return <p>user: {user?.name}</p>;
    }
    render(
      <>
        <Countdown />
        <Plain />
      </>,
      { wrapper: openTab().wrapper },
    );
    const first = await screen.findByText(/left: \d+/);
    const secondsAtStart = Number(first.textContent?.replace('left: ', ''));
    const plainAtStart = plainRenders;
    const countdownAtStart = countdownRenders;
    await waitFor(() => expect(Number(screen.getByText(/left: \d+/).textContent?.replace('left: ', ''))).toBeLessThan(secondsAtStart), {
      timeout: 2500,
    });
    expect(countdownRenders).toBeGreaterThan(countdownAtStart);
    expect(plainRenders).toBe(plainAtStart); // components that do not read expiresIn never tick
  });
});
