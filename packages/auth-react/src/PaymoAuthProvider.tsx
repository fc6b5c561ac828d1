import { useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import type { PaymoPublicSession } from '@paymo/auth-core';
import { PaymoAuthContext } from './PaymoAuthContext.js';
import type { PaymoAuthContextValue } from './PaymoAuthContext.js';
import { createCrossTabChannel } from './createCrossTabChannel.js';
import type { PaymoCrossTabChannel } from './createCrossTabChannel.js';
import { createPaymoAuthClient } from './createPaymoAuthClient.js';
import type { PaymoSessionData } from './createPaymoAuthClient.js';
import { paymoAuthKeys } from './paymoAuthKeys.js';
import { DEFAULT_REFETCH_THROTTLE_MS, paymoSessionQueryOptions } from './paymoSessionQueryOptions.js';
import { scheduleAt } from './scheduleAt.js';
import { watchPaymoSession } from './watchPaymoSession.js';
import type { PaymoSessionOrigin } from './watchPaymoSession.js';

/** What `onExpiring` receives. */
export interface PaymoExpiringInfo {
  expiresAt: Date;
  /** Milliseconds left. */
  expiresIn: number;
}

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
export function PaymoAuthProvider(props: PaymoAuthProviderProps) {
  const { basePath = '/auth', baseUrl, credentials, broadcast = true, warnBefore } = props;
  const refetchThrottleMs = props.refetchThrottleMs ?? DEFAULT_REFETCH_THROTTLE_MS;
  const queryClient = useQueryClient(props.queryClient);
  const latest = useRef(props);
  latest.current = props;
  const originRef = useRef<PaymoSessionOrigin | undefined>(undefined);
  const channelRef = useRef<PaymoCrossTabChannel | null>(null);
  const [hydration] = useState(() => ({ session: props.initialSession, at: Date.now() }));

  const client = useMemo(
    () =>
      createPaymoAuthClient({
        basePath,
        baseUrl,
        credentials,
        fetch: (input, init) => (latest.current.fetch ?? globalThis.fetch)(input, init),
      }),
    [basePath, baseUrl, credentials],
  );

  const value = useMemo<PaymoAuthContextValue>(
    () => ({
      client,
      queryClient,
      refetchThrottleMs,
      initialSession: hydration.session,
      initialSessionAt: hydration.at,
      applySession(data, origin) {
        originRef.current = origin;
        queryClient.setQueryData<PaymoSessionData>(paymoAuthKeys.session(client.scope), data);
        if (origin !== 'expired') channelRef.current?.post(origin === 'sign-in' ? 'signed-in' : 'signed-out');
      },
    }),
    [client, queryClient, refetchThrottleMs, hydration],
  );

  const { data } = useQuery(paymoSessionQueryOptions(value), queryClient);
  const expiresAt = data?.session?.expiresAt;

  useEffect(
    () =>
      watchPaymoSession(queryClient, client.scope, {
        takeOrigin: () => {
          const origin = originRef.current;
          originRef.current = undefined;
          return origin;
        },
        onExpired: () => latest.current.onExpired?.(),
      }),
    [queryClient, client.scope],
  );

  useEffect(() => {
    if (!broadcast) return;
    const channel = createCrossTabChannel(`paymo-auth:${client.scope}`, () => {
      originRef.current = 'other-tab';
      void queryClient.invalidateQueries({ queryKey: paymoAuthKeys.session(client.scope), exact: true });
    });
    channelRef.current = channel;
    return () => {
      channel.close();
      channelRef.current = null;
    };
  }, [broadcast, client.scope, queryClient]);

  const warnedFor = useRef<number | null>(null);
  useEffect(() => {
    const at = expiresAt === undefined ? NaN : Date.parse(expiresAt);
    if (Number.isNaN(at)) return;
    let active = true;
    // The idle timeout may have moved expiresAt on the server: ask once before warning or ending.
    const recheck = () =>
      queryClient.fetchQuery({ ...paymoSessionQueryOptions(value), staleTime: 0 }).then(
        (fresh) => fresh,
        () => undefined,
      );
    const cancelWarn =
      warnBefore !== undefined && warnedFor.current !== at
        ? scheduleAt(at - warnBefore, () => {
            void recheck().then((fresh) => {
              if (!active || (fresh && !fresh.session)) return;
              const freshAt = fresh?.session ? Date.parse(fresh.session.expiresAt) : at;
              const expiresIn = freshAt - Date.now();
              if (expiresIn > warnBefore) return; // moved later: this effect runs again for it
              warnedFor.current = freshAt;
              latest.current.onExpiring?.({ expiresAt: new Date(freshAt), expiresIn: Math.max(0, expiresIn) });
            });
          })
        : undefined;
    const cancelExpire = scheduleAt(at, () => {
      void recheck().then((fresh) => {
        if (!active || (fresh && !fresh.session)) return; // the server ended it: the watcher reports it
        if (fresh?.session && Date.parse(fresh.session.expiresAt) > Date.now()) return;
        value.applySession({ session: null, endReason: 'SESSION_EXPIRED' }, 'expired');
      });
    });
    return () => {
      active = false;
      cancelWarn?.();
      cancelExpire();
    };
  }, [expiresAt, warnBefore, queryClient, value]);

  return <PaymoAuthContext.Provider value={value}>{props.children}</PaymoAuthContext.Provider>;
}
