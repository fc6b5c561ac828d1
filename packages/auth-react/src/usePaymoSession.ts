import { useEffect, useReducer, useRef, useSyncExternalStore } from './peers.js';
import type { PaymoAuthError, PaymoPublicSession, PaymoPublicUser } from '@paymo/auth-core';
import { usePaymoAuth } from './PaymoAuthContext.js';
import type { PaymoSignInCredentials } from './createPaymoAuthClient.js';
import type { PaymoSessionObserver } from './createPaymoSessionObserver.js';

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

/**
 * The current session and what to do with it. Many components may call it: one request is made. It
 * reads the provider's session observer with `useSyncExternalStore`: a component re-renders when the
 * session, its status or its error change, not when a request starts or ends.
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
  const observer = usePaymoAuth('usePaymoSession') as PaymoSessionObserver;
  const snapshot = useSyncExternalStore(observer.subscribe, observer.getSnapshot, observer.getSnapshot);
  const { expiresAt } = snapshot;
  const readsExpiresIn = useLiveCountdown(expiresAt);
  return {
    ...snapshot,
    get expiresIn() {
      readsExpiresIn();
      return expiresAt && Math.max(0, expiresAt.getTime() - Date.now());
    },
    signIn: observer.signIn,
    signOut: observer.signOut,
    signOutEverywhere: observer.signOutEverywhere,
    refetch: observer.refetch,
  } as UsePaymoSessionResult;
}

/**
 * Re-renders every second while the component reads `expiresIn` and a session exists, aligned on the
 * second boundary of `expiresAt` so a countdown ticks evenly. Components that never read it never tick.
 */
function useLiveCountdown(expiresAt: Date | null): () => void {
  const [, tick] = useReducer((n: number) => n + 1, 0);
  const reads = useRef(false);
  reads.current = false;
  useEffect(() => {
    if (!reads.current || !expiresAt) return;
    let timer: ReturnType<typeof setTimeout>;
    const arm = () => {
      const left = expiresAt.getTime() - Date.now();
      if (left > 0) timer = setTimeout(() => (tick(), arm()), left % 1000 || 1000);
    };
    arm();
    return () => clearTimeout(timer);
  });
  return () => {
    reads.current = true;
  };
}
