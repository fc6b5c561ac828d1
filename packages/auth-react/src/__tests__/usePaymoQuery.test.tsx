// @vitest-environment happy-dom
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { useMutation } from '@tanstack/react-query';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { usePaymoAuth } from '../PaymoAuthContext.js';
import { paymoAuthKeys } from '../paymoAuthKeys.js';
import { paymoMutationOptions } from '../paymoMutationOptions.js';
import { usePaymoQuery } from '../usePaymoQuery.js';
import { usePaymoSignIn } from '../usePaymoSignIn.js';
import { usePaymoSignOut } from '../usePaymoSignOut.js';
import { dwight, michael, sleep } from './support/credentials.js';
import { clearSession, openTab, visit } from './support/openTab.js';
import { startAuthServer } from './support/startAuthServer.js';
import type { AuthServer } from './support/startAuthServer.js';

// The data hooks against a real Express paymoAuth() whose proxy allows a few reads, over the fake.
let server: AuthServer;
beforeAll(async () => {
  server = await startAuthServer();
  await server.configure({ proxy: { allow: ['GET me', 'GET clients', 'GET users'] } });
  visit(server.url);
});
afterAll(() => server.close());
afterEach(async () => {
  cleanup();
  await clearSession();
});

const proxied = async () => (await server.authRequests()).filter((line) => line.startsWith('GET /auth/paymo/'));

function Me() {
  const { data, status } = usePaymoQuery('me');
  return <p>me: {status === 'success' ? data.users[0]!.name : status}</p>;
}

describe('usePaymoQuery', () => {
  it('reads Paymo through the proxy as the signed-in user, and never shows the previous user after a switch', async () => {
    const seen: string[] = [];
    function Page() {
      const { data } = usePaymoQuery('me');
      const signIn = usePaymoSignIn();
      const signOut = usePaymoSignOut();
      const name = data?.users[0]?.name;
      if (name) seen.push(name);
      return (
        <>
          <p>me: {name ?? 'none'}</p>
          <button onClick={() => signIn.mutate(michael)}>as michael</button>
          <button onClick={() => signIn.mutate(dwight)}>as dwight</button>
          <button onClick={() => signOut.mutate()}>sign out</button>
        </>
      );
    }
    await server.resetAuthRequests();
    const tab = openTab();
    render(<Page />, { wrapper: tab.wrapper });
    await sleep(200);
    expect(await proxied()).toEqual([]); // signed out: disabled, nothing asked

    act(() => screen.getByText('as michael').click());
    await screen.findByText('me: Michael Scott');
    act(() => screen.getByText('sign out').click());
    await screen.findByText('me: none');
    act(() => screen.getByText('as dwight').click());
    await screen.findByText('me: Dwight Schrute');
    const afterSwitch = seen.slice(seen.indexOf('Dwight Schrute'));
    expect(afterSwitch.every((name) => name === 'Dwight Schrute')).toBe(true);
    // No query of Michael's is left in the cache.
    const keys = tab.queryClient.getQueryCache().getAll().map((query) => JSON.stringify(query.queryKey));
    expect(keys.filter((key) => key.includes('"paymo",1,'))).toEqual([]);
  });

  it('retries a RATE_LIMITED answer after its Retry-After, not at once', async () => {
    await fetch('/auth/sign-in', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(michael) });
    const calls: number[] = [];
    let answered429 = false;
    const paced: typeof fetch = async (input, init) => {
      const url = String(input);
      if (url.includes('/auth/paymo/')) {
        calls.push(Date.now());
        if (!answered429) {
          answered429 = true;
          return new Response(JSON.stringify({ error: { code: 'RATE_LIMITED', message: 'slow down' } }), {
            status: 429,
            headers: { 'content-type': 'application/json', 'retry-after': '1' },
          });
        }
      }
      return fetch(input, init);
    };
    render(<Me />, { wrapper: openTab({ fetch: paced }).wrapper });
    await screen.findByText('me: Michael Scott', undefined, { timeout: 5_000 });
    expect(calls.length).toBe(2);
    expect(calls[1]! - calls[0]!).toBeGreaterThanOrEqual(900);
  });

  it('invalidates the user\'s proxied queries after a proxied write, keyed under the user', async () => {
    await server.configure({ proxy: { allow: ['GET me', 'GET clients', 'POST clients'] } });
    await fetch('/auth/sign-in', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(michael) });
    function Writer() {
      const auth = usePaymoAuth();
      const clients = usePaymoQuery('clients');
      const add = useMutation(paymoMutationOptions(auth, 'POST', 'clients'));
      return (
        <>
          <p>clients: {clients.data ? clients.data.clients.length : '-'}</p>
          <p>write: {add.status}</p>
          <button onClick={() => add.mutate({ name: 'Vance Refrigeration' })}>add</button>
        </>
      );
    }
    const tab = openTab();
    render(<Writer />, { wrapper: tab.wrapper });
    await screen.findByText(/clients: \d+/);
    const key = tab.queryClient.getQueryCache().getAll().find((query) => query.queryKey.includes('clients') && query.state.data !== undefined)!.queryKey;
    expect(key.slice(0, 4)).toEqual([...paymoAuthKeys.paymoOfUser('/auth', 1)]);
    await server.resetAuthRequests();
    act(() => screen.getByText('add').click());
    await screen.findByText(/write: (success|error)/);
    // Whatever Paymo answered the write, the list is asked again once it succeeded.
    if (screen.queryByText('write: success')) await waitFor(async () => expect((await proxied()).length).toBeGreaterThan(0));
    expect((await server.authRequests()).filter((line) => line === 'POST /auth/paymo/clients')).toHaveLength(1);
  });
});
