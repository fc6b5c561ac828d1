import { createContext, useContext } from './peers.js';
import type { QueryClient } from '@tanstack/react-query';
import { PaymoAuthError } from '@paymo/auth-core';
import type { PaymoPublicSession } from '@paymo/auth-core';
import type { PaymoAuthClient, PaymoSessionData } from './createPaymoAuthClient.js';

/** Who changed the session: this tab's sign-in, sign-out or expiry timer. */
export type PaymoSessionChangeOrigin = 'sign-in' | 'sign-out' | 'expired';

/**
 * What {@link PaymoAuthProvider} shares with its hooks, and what the option factories take. Get it
 * with {@link usePaymoAuth}.
 */
export interface PaymoAuthContextValue {
  /** The HTTP client of the auth routes. */
  client: PaymoAuthClient;
  queryClient: QueryClient;
  /** The session is refetched (focus, reconnect, mount) at most once per this many ms. */
  refetchThrottleMs: number;
  /** Server-rendered session used as the query's initial data, when given. */
  initialSession?: PaymoPublicSession | null;
  /** When the initial session was read (its `initialDataUpdatedAt`). */
  initialSessionAt: number;
  /**
   * Writes the session query after a change made in this tab, and tells the other tabs ("signed-in" or
   * "signed-out", nothing else). The mutation option factories call it in `onSuccess`.
   */
  applySession(data: PaymoSessionData, origin: PaymoSessionChangeOrigin): void;
}

/** The React context behind {@link usePaymoAuth}. Provided by {@link PaymoAuthProvider}. */
export const PaymoAuthContext = createContext<PaymoAuthContextValue | null>(null);

/**
 * The provider's value, for the option factories. Throws a `CONFIG_ERROR` naming `PaymoAuthProvider`
 * when used outside it.
 *
 * @example
 * ```tsx
 * const auth = usePaymoAuth();
 * const signIn = useMutation(paymoSignInMutationOptions(auth));
 * ```
 */
export function usePaymoAuth(hookName = 'usePaymoAuth'): PaymoAuthContextValue {
  const value = useContext(PaymoAuthContext);
  if (!value) {
    throw new PaymoAuthError(
      'CONFIG_ERROR',
      `${hookName}() must be used inside <PaymoAuthProvider>, itself inside a <QueryClientProvider>.`,
    );
  }
  return value;
}
