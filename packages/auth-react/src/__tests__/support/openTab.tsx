import type { ReactNode } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { configure } from '@testing-library/react';
import { PaymoAuthProvider } from '../../PaymoAuthProvider.js';
import type { PaymoAuthProviderProps } from '../../PaymoAuthProvider.js';

// Every wait here crosses real HTTP to a child auth server and the fake: 5 s instead of RTL's 1 s, so a
// loaded machine is not mistaken for a missing update (waits end as soon as their condition holds).
configure({ asyncUtilTimeout: 5_000 });

/**
 * One browser tab: a fresh QueryClient and a provider on the page's origin. Tabs opened in one test
 * share happy-dom's cookie jar and BroadcastChannel, as tabs of one browser do.
 */
export function openTab(props: Omit<PaymoAuthProviderProps, 'children'> = {}) {
  const queryClient = new QueryClient();
  const wrapper = ({ children }: { children?: ReactNode }) => (
    <QueryClientProvider client={queryClient}>
      <PaymoAuthProvider basePath="/auth" {...props}>
        {children}
      </PaymoAuthProvider>
    </QueryClientProvider>
  );
  return { queryClient, wrapper };
}

/** Puts the page on the server's origin: relative `/auth/...` URLs and the HttpOnly cookie work as in a browser. */
export function visit(url: string): void {
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(`${url}/`);
}

/** Ends whatever session the cookie jar holds, so the next test starts signed out. */
export async function clearSession(): Promise<void> {
  await fetch('/auth/sign-out', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).catch(() => {});
}
