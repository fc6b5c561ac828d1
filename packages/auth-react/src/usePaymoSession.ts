import { useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import { MutationObserver, useQuery } from '@tanstack/react-query';
import { PaymoAuthError, isPaymoAuthError } from '@paymo/auth-core';
import type { PaymoPublicSession, PaymoPublicUser } from '@paymo/auth-core';
import { usePaymoAuth } from './PaymoAuthContext.js';
import type { PaymoSignInCredentials } from './createPaymoAuthClient.js';
import { paymoSessionQueryOptions } from './paymoSessionQueryOptions.js';
import { paymoSignInMutationOptions } from './paymoSignInMutationOptions.js';
import { paymoSignOutEverywhereMutationOptions } from './paymoSignOutEverywhereMutationOptions.js';
import { paymoSignOutMutationOptions } from './paymoSignOutMutationOptions.js';

/**
 * - `loading`: the first answer has not arrived (render neither signed-in nor signed-out content).
 * - `authenticated`: there is a session.
 * - `unauthenticated`: the server says there is none (`error` tells why when it ended by itself).
 * - `degraded`: the server is rate-limited, down or unreachable; the last known session (if any) is
 *   kept, the user is never shown as signed out for it.
 */
export type PaymoSessionStatus = 'loading' | 'authenticated' | 'unauthenticated' | 'degraded';

/** What `signIn` resolves: the session, or the typed error (it never rejects). */
export type PaymoSignInResult = { session: PaymoPublicSession; error: null } | { session: null; error: PaymoAuthError };

/** What `signOut` and `signOutEverywhere` resolve (they never reject). */
export interface PaymoSignOutResult {
  error: PaymoAuthError | null;
}

interface Actions {
  /** Signs in with email/password or API key. Never rejects: `onSubmit={(c) => signIn(c)}` is safe. */
  signIn(credentials: PaymoSignInCredentials): Promise<PaymoSignInResult>;
  signOut(): Promise<PaymoSignOutResult>;
  /** Ends every Paymo session of the user. */
  signOutEverywhere(): Promise<PaymoSignOutResult & { revoked: number }>;
  /** Asks the server again (e.g. a "retry" button when degraded). */
  refetch(): Promise<void>;
}

interface SignedInState {
  user: PaymoPublicUser;
  session: PaymoPublicSession;
  expiresAt: Date;
  /** Milliseconds until `expiresAt`, live: reading it re-renders the component every second. */
  readonly expiresIn: number;
}

interface SignedOutState {
  user: null;
  session: null;
  expiresAt: null;
  readonly expiresIn: null;
}

/** The value of {@link usePaymoSession}: narrowed by `status`. */
export type UsePaymoSessionResult = Actions & { error: PaymoAuthError | null } & (
    | ({ status: 'authenticated' } & SignedInState)
    | ({ status: 'unauthenticated' | 'loading' } & SignedOutState)
    | ({ status: 'degraded' } & (SignedInState | SignedOutState))
  );

const endMessages = {
  SESSION_EXPIRED: 'Your session has expired. Please sign in again.',
  SESSION_REVOKED: 'Your session was ended. Please sign in again.',
} as const;

/**
 * The current session and what to do with it. Many components may call it: one request is made.
 *
 * @example
 * ```tsx
 * function App() {
 *   const { status, user, signIn, signOut } = usePaymoSession();
 *   if (status === 'loading') return <Spinner />;
 *   if (status !== 'authenticated') return <SignInForm onSubmit={(c) => signIn(c)} />;
 *   return <p>Hello {user.name} <button onClick={() => signOut()}>Sign out</button></p>;
 * }
 * ```
 */
export function usePaymoSession(): UsePaymoSessionResult {
  const auth = usePaymoAuth('usePaymoSession');
  const query = useQuery(paymoSessionQueryOptions(auth));
  const data = query.data;
  const session = data?.session ?? null;
  const endReason = data?.endReason;

  const endError = useMemo(() => (endReason ? new PaymoAuthError(endReason, endMessages[endReason]) : null), [endReason]);
  const expiresAtIso = session?.expiresAt;
  const expiresAt = useMemo(() => (expiresAtIso ? new Date(expiresAtIso) : null), [expiresAtIso]);
  const readsExpiresIn = useLiveCountdown(expiresAt);

  const signIn = useCallback(
    async (credentials: PaymoSignInCredentials): Promise<PaymoSignInResult> => {
      try {
        // A private copy as the mutation's variables: it is wiped after sending, the caller's object is not.
        const session = await new MutationObserver(auth.queryClient, paymoSignInMutationOptions(auth)).mutate({ ...credentials });
        return { session, error: null };
      } catch (error) {
        return { session: null, error: asPaymoAuthError(error) };
      }
    },
    [auth],
  );
  const signOut = useCallback(async (): Promise<PaymoSignOutResult> => {
    try {
      await new MutationObserver(auth.queryClient, paymoSignOutMutationOptions(auth)).mutate();
      return { error: null };
    } catch (error) {
      return { error: asPaymoAuthError(error) };
    }
  }, [auth]);
  const signOutEverywhere = useCallback(async () => {
    try {
      const { revoked } = await new MutationObserver(auth.queryClient, paymoSignOutEverywhereMutationOptions(auth)).mutate();
      return { error: null, revoked };
    } catch (error) {
      return { error: asPaymoAuthError(error), revoked: 0 };
    }
  }, [auth]);
  const { refetch: refetchQuery } = query;
  const refetch = useCallback(async () => {
    await refetchQuery();
  }, [refetchQuery]);

  let status: PaymoSessionStatus;
  if (query.error) status = 'degraded';
  else if (data === undefined) status = 'loading';
  else status = session ? 'authenticated' : 'unauthenticated';

  const result = {
    status,
    user: session?.user ?? null,
    session,
    expiresAt,
    get expiresIn() {
      readsExpiresIn();
      return expiresAt ? Math.max(0, expiresAt.getTime() - Date.now()) : null;
    },
    error: query.error ? asPaymoAuthError(query.error) : endError,
    signIn,
    signOut,
    signOutEverywhere,
    refetch,
  };
  return result as UsePaymoSessionResult;
}

function asPaymoAuthError(error: unknown): PaymoAuthError {
  return isPaymoAuthError(error) ? error : new PaymoAuthError('UPSTREAM_ERROR', 'Something went wrong.', { status: 0, cause: error });
}

/**
 * Re-renders every second while the component reads `expiresIn` and a session exists, aligned on the
 * second boundary of `expiresAt` so a countdown ticks evenly. Components that never read it never tick.
 */
function useLiveCountdown(expiresAt: Date | null): () => void {
  const [, tick] = useReducer((n: number) => n + 1, 0);
  const reads = useRef(false);
  reads.current = false;
  const target = expiresAt?.getTime();
  useEffect(() => {
    if (!reads.current || target === undefined) return;
    let timer: ReturnType<typeof setTimeout>;
    const arm = () => {
      const left = target - Date.now();
      if (left <= 0) return;
      timer = setTimeout(() => {
        tick();
        arm();
      }, left % 1000 || 1000);
    };
    arm();
    return () => clearTimeout(timer);
  });
  return () => {
    reads.current = true;
  };
}
