import type { ReactElement, ReactNode } from 'react';
import { createElement, useEffect, useMemo, useQueryClient, useRef, useState } from './peers.js';
import type { QueryClient } from '@tanstack/react-query';
import type { PaymoPublicSession } from '@paymo/auth-core';
import { PaymoAuthContext } from './PaymoAuthContext.js';
import { createPaymoSessionObserver } from './createPaymoSessionObserver.js';
import type { PaymoExpiringInfo } from './createPaymoSessionObserver.js';

export type { PaymoExpiringInfo } from './createPaymoSessionObserver.js';

/** Props of {@link PaymoAuthProvider}. */
export interface PaymoAuthProviderProps {
  children?: ReactNode;
  /** Where the server mounted the auth routes. Default `/auth`. */
  basePath?: string;
  /** Origin of the auth server when it is not the page's (e.g. in tests). Default: the page's own. */
  baseUrl?: string;
  /** A `fetch` to use instead of the global one (tests, instrumentation). */
  fetch?: typeof fetch;
  /** Cookie mode. Default `'same-origin'`, or `'include'` with a `baseUrl`. */
  credentials?: RequestCredentials;
  /**
   * The session the server already knows (server rendering): hydrates the session query, so the first
   * render is final and no request is made until `refetchThrottleMs` has passed. `null` = signed out.
   */
  initialSession?: PaymoPublicSession | null;
  /** Called once when the session ends by expiry (timer at `expiresAt`, or the server saying so). */
  onExpired?: () => void;
  /** With `onExpiring`: how many ms before `expiresAt` to warn. */
  warnBefore?: number;
  /** Called `warnBefore` ms before the session ends (after one refetch confirms the expiry). */
  onExpiring?: (info: PaymoExpiringInfo) => void;
  /** Tell other tabs about sign-in and sign-out, and follow theirs. Default true. */
  broadcast?: boolean;
  /** Refetch the session on focus, reconnect or mount at most once per this many ms. Default 30 000. */
  refetchThrottleMs?: number;
  /** Default: the client of the enclosing `QueryClientProvider`. */
  queryClient?: QueryClient;
}

/**
 * Makes the session available to {@link usePaymoSession} and friends. Put it inside a
 * `QueryClientProvider`. It fetches `GET {basePath}/session` once (however many components ask),
 * schedules `onExpiring`/`onExpired` from `expiresAt` with timers (no polling), follows sign-in and
 * sign-out in other tabs, and removes the previous user's cached queries when the user changes.
 *
 * @example
 * ```tsx
 * <QueryClientProvider client={queryClient}>
 *   <PaymoAuthProvider basePath="/auth" onExpired={() => toast('Your session has ended')}>
 *     <App />
 *   </PaymoAuthProvider>
 * </QueryClientProvider>
 * ```
 */
export function PaymoAuthProvider(props: PaymoAuthProviderProps): ReactElement {
  const queryClient = useQueryClient(props.queryClient);
  // Callbacks and `fetch` are read when called, so new functions on every render change nothing.
  const latest = useRef(props);
  latest.current = props;
  const [initialSessionAt] = useState(Date.now);
  const { basePath, baseUrl, credentials, broadcast, warnBefore, refetchThrottleMs } = props;
  // One observer per configuration (in practice: one). Its state lives in the query cache, so a new
  // one would pick up where the last left off.
  const observer = useMemo(
    () =>
      createPaymoSessionObserver({
        ...latest.current,
        queryClient,
        initialSessionAt,
        fetch: (input, init) => (latest.current.fetch ?? globalThis.fetch)(input, init),
        onExpired: () => latest.current.onExpired?.(),
        onExpiring: (info) => latest.current.onExpiring?.(info),
      }),
    [queryClient, initialSessionAt, basePath, baseUrl, credentials, broadcast, warnBefore, refetchThrottleMs],
  );
  useEffect(() => observer.start(), [observer]);
  return createElement(PaymoAuthContext.Provider, { value: observer }, props.children);
}
