import { MutationObserver, QueryObserver, hashKey } from './peers.js';
import type { QueryCacheNotifyEvent, QueryClient, UseMutationOptions } from '@tanstack/react-query';
import { PaymoAuthError, isPaymoAuthError } from '@paymo/auth-core';
import type { PaymoPublicSession, PaymoPublicUser } from '@paymo/auth-core';
import type { PaymoAuthContextValue } from './PaymoAuthContext.js';
import { createCrossTabChannel } from './createCrossTabChannel.js';
import type { PaymoCrossTabChannel } from './createCrossTabChannel.js';
import { createPaymoAuthClient } from './createPaymoAuthClient.js';
import type { PaymoAuthClientOptions, PaymoSessionData, PaymoSignInCredentials } from './createPaymoAuthClient.js';
import { paymoAuthKeys } from './paymoAuthKeys.js';
import { DEFAULT_REFETCH_THROTTLE_MS, paymoSessionQueryOptions } from './paymoSessionQueryOptions.js';
import { paymoSignInMutationOptions } from './paymoSignInMutationOptions.js';
import { paymoSignOutEverywhereMutationOptions } from './paymoSignOutEverywhereMutationOptions.js';
import { paymoSignOutMutationOptions } from './paymoSignOutMutationOptions.js';
import { scheduleAt } from './scheduleAt.js';
import type { PaymoSessionStatus, PaymoSignInResult, PaymoSignOutResult } from './usePaymoSession.js';

/** What `onExpiring` receives. */
export interface PaymoExpiringInfo {
  expiresAt: Date;
  /** Milliseconds left. */
  expiresIn: number;
}

/** The session as the observer shows it: one object per state, the same reference until it changes. */
export interface PaymoSessionSnapshot {
  status: PaymoSessionStatus;
  session: PaymoPublicSession | null;
  user: PaymoPublicUser | null;
  expiresAt: Date | null;
  /** Why the server is degraded, or why the session ended when the server (or the expiry timer) said. */
  error: PaymoAuthError | null;
}

/** Options of {@link createPaymoSessionObserver}: where the auth routes are, and what to call when. */
export interface PaymoSessionObserverOptions extends PaymoAuthClientOptions {
  queryClient: QueryClient;
  refetchThrottleMs?: number;
  initialSession?: PaymoPublicSession | null;
  initialSessionAt?: number;
  /** Tell other tabs about sign-in and sign-out, and follow theirs. Default true. */
  broadcast?: boolean;
  warnBefore?: number;
  onExpiring?(info: PaymoExpiringInfo): void;
  onExpired?(): void;
}

/** The session, framework-free: what `PaymoAuthProvider` provides and `usePaymoSession()` reads. */
export interface PaymoSessionObserver extends PaymoAuthContextValue {
  /**
   * Calls `listener` after every change of {@link getSnapshot}'s value; once started, a new listener
   * also refetches a stale session (a component mounting). Returns the unsubscribe.
   */
  subscribe(listener: () => void): () => void;
  getSnapshot(): PaymoSessionSnapshot;
  /**
   * Starts what a mounted provider does: the session query (fetch when stale, on focus and
   * reconnect), the expiry timers, the cross-tab channel, the purge of the previous user's queries.
   * Returns `stop`; may be started again.
   */
  start(): () => void;
  signIn(credentials: PaymoSignInCredentials): Promise<PaymoSignInResult>;
  signOut(): Promise<PaymoSignOutResult>;
  signOutEverywhere(): Promise<PaymoSignOutResult & { revoked: number }>;
  refetch(): Promise<void>;
}

const endMessages = {
  SESSION_EXPIRED: 'Your session has expired. Please sign in again.',
  SESSION_REVOKED: 'Your session was ended. Please sign in again.',
} as const;

const noop = () => {};

/**
 * Owns the session state of one provider, in the manner of TanStack's `QueryObserver`: the state lives
 * in the session query; the observer derives a stable snapshot from it and reacts to its changes.
 *
 * - When the signed-in user changes (A to nobody, nobody to B, A to B), every other query of the cache
 *   is removed, so nothing the previous user could see survives. The session query stays (no fall back
 *   to `loading`); mutations are left alone (the sign-in mutation may be settling).
 * - Why a session ended is what the server said (`{ session: null, reason }`, or the 401 code of any
 *   query of this client, e.g. a proxied read that found the session over), or `SESSION_EXPIRED` from
 *   the timer at `expiresAt`. A session that vanished without a word is signed out, not guessed at.
 */
export function createPaymoSessionObserver(options: PaymoSessionObserverOptions): PaymoSessionObserver {
  const { queryClient, warnBefore } = options;
  const client = createPaymoAuthClient(options);
  const key = paymoAuthKeys.session(client.scope);
  const sessionHash = hashKey(key);
  const listeners = new Set<() => void>();
  let snapshot: PaymoSessionSnapshot | undefined;
  let shownData: PaymoSessionData | undefined;
  let shownError: unknown;
  let started = false;
  // A session was shown whose ending by expiry has not been reported yet (onExpired fires once).
  let sawSession = false;
  let armedFor: number | undefined;
  let disarm = noop;
  let warnedFor: number | undefined;
  let channel: PaymoCrossTabChannel | undefined;

  const end = (endReason: PaymoSessionData['endReason']) => queryClient.setQueryData<PaymoSessionData>(key, { session: null, endReason });
  // The idle timeout may have moved expiresAt on the server: the timers ask once before acting.
  const recheck = () => queryClient.fetchQuery({ ...paymoSessionQueryOptions(observer), staleTime: 0 }).then(noop, noop);
  const mutate = <T, V>(mutation: UseMutationOptions<T, PaymoAuthError, V>, variables?: V) =>
    new MutationObserver(queryClient, mutation).mutate(variables as V);

  function getSnapshot(): PaymoSessionSnapshot {
    const state = queryClient.getQueryState<PaymoSessionData, PaymoAuthError>(key);
    const data = state?.data;
    const error = state?.error;
    if (!snapshot || data !== shownData || error !== shownError) {
      shownData = data;
      shownError = error;
      const session = data?.session ?? null;
      if (session) sawSession = true;
      const endReason = data?.endReason;
      snapshot = {
        status: error ? 'degraded' : !data ? 'loading' : session ? 'authenticated' : 'unauthenticated',
        session,
        user: session?.user ?? null,
        expiresAt: session ? new Date(session.expiresAt) : null,
        error: error ? asPaymoAuthError(error) : endReason ? new PaymoAuthError(endReason, endMessages[endReason]) : null,
      };
    }
    return snapshot;
  }

  function update(): void {
    const before = shownData;
    const previous = snapshot;
    const next = getSnapshot();
    if (next === previous) return;
    const after = shownData;
    if (before && after && (before.session?.user.id ?? null) !== (after.session?.user.id ?? null)) {
      queryClient.removeQueries({ predicate: (query) => query.queryHash !== sessionHash });
    }
    if (sawSession && !after?.session && after?.endReason === 'SESSION_EXPIRED') {
      sawSession = false;
      options.onExpired?.();
    }
    arm();
    for (const listener of listeners) listener();
  }

  /** One timer at `warnBefore` and one at `expiresAt`, re-armed whenever `expiresAt` changes. No polling. */
  function arm(): void {
    // `|| undefined`: no session, or an unreadable date, arms nothing.
    const at = (started && snapshot?.session && Date.parse(snapshot.session.expiresAt)) || undefined;
    if (at === armedFor) return;
    armedFor = at;
    disarm();
    const timer = (time: number, deadline?: true) =>
      scheduleAt(time, async () => {
        await recheck();
        const data = shownData; // kept current by update() while started
        if (!started || !data) return;
        const freshAt = data.session ? Date.parse(data.session.expiresAt) : NaN;
        const left = freshAt - Date.now();
        if (deadline) {
          // Over unless the server moved expiresAt later, or said itself why the session ended: at the
          // deadline, no session and no word (the cookie expired with it), or no answer, means expired.
          if (data.session ? left <= 0 : !data.endReason) end('SESSION_EXPIRED');
        } else if (left <= warnBefore!) {
          // (Moved later: armed again for the new time.)
          warnedFor = freshAt;
          options.onExpiring?.({ expiresAt: new Date(freshAt), expiresIn: Math.max(0, left) });
        }
      });
    const timers = at ? [timer(at, true), warnBefore !== undefined && warnedFor !== at ? timer(at - warnBefore) : noop] : [];
    disarm = () => timers.forEach((cancel) => cancel());
  }

  /** A query of ours or of the app answered 401 with a session ending: the server said so, follow it. */
  function onCacheEvent(event: QueryCacheNotifyEvent): void {
    if (event.query.queryHash === sessionHash) return update();
    const [root, scope] = event.query.queryKey;
    const error: unknown = event.type === 'updated' && event.action.type === 'error' ? event.action.error : undefined;
    if (
      isPaymoAuthError(error) &&
      error.status === 401 &&
      (error.code === 'SESSION_EXPIRED' || error.code === 'SESSION_REVOKED') &&
      (root !== paymoAuthKeys.all[0] || scope === client.scope) &&
      shownData?.session
    ) {
      end(error.code);
    }
  }

  const observer: PaymoSessionObserver = {
    client,
    queryClient,
    refetchThrottleMs: options.refetchThrottleMs ?? DEFAULT_REFETCH_THROTTLE_MS,
    initialSession: options.initialSession,
    initialSessionAt: options.initialSessionAt ?? Date.now(),
    applySession(data, origin) {
      queryClient.setQueryData<PaymoSessionData>(key, data);
      if (origin !== 'expired') channel?.post(origin === 'sign-in' ? 'signed-in' : 'signed-out');
    },
    subscribe(listener) {
      listeners.add(listener);
      // A component mounting later refetches a stale session, as a `useQuery` of it would. (Before
      // `start()`, the provider's first fetch covers everyone.)
      if (started) void queryClient.prefetchQuery(paymoSessionQueryOptions(observer));
      return () => void listeners.delete(listener);
    },
    getSnapshot,
    start() {
      started = true;
      const stops = [sessionQuery.subscribe(noop), queryClient.getQueryCache().subscribe(onCacheEvent)];
      if (options.broadcast !== false) {
        channel = createCrossTabChannel(`paymo-auth:${client.scope}`, () =>
          queryClient.invalidateQueries({ queryKey: key, exact: true }),
        );
      }
      update(); // whatever changed between the render that built the snapshot and now
      arm();
      return () => {
        started = false;
        for (const stop of stops) stop();
        channel?.close();
        channel = undefined;
        arm();
      };
    },
    signIn: (credentials) =>
      // A private copy as the mutation's variables: it is wiped after sending, the caller's object is not.
      mutate(paymoSignInMutationOptions(observer), { ...credentials }).then(
        (session) => ({ session, error: null }),
        (error: unknown) => ({ session: null, error: asPaymoAuthError(error) }),
      ),
    signOut: () =>
      mutate(paymoSignOutMutationOptions(observer)).then(
        () => ({ error: null }),
        (error: unknown) => ({ error: asPaymoAuthError(error) }),
      ),
    signOutEverywhere: () =>
      mutate(paymoSignOutEverywhereMutationOptions(observer)).then(
        ({ revoked }) => ({ error: null, revoked }),
        (error: unknown) => ({ error: asPaymoAuthError(error), revoked: 0 }),
      ),
    refetch: recheck,
  };
  // Built now, not at start: it puts the hydrated session into the cache for the first render.
  const sessionQuery = new QueryObserver(queryClient, paymoSessionQueryOptions(observer));
  return observer;
}

function asPaymoAuthError(error: unknown): PaymoAuthError {
  return isPaymoAuthError(error) ? error : new PaymoAuthError('UPSTREAM_ERROR', 'Something went wrong.', { status: 0, cause: error });
}
