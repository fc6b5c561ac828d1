import type { UseMutationOptions } from '@tanstack/react-query';
import type { PaymoAuthError } from '@paymo/auth-core';
import type { PaymoAuthContextValue } from './PaymoAuthContext.js';
import { paymoAuthKeys } from './paymoAuthKeys.js';

/**
 * Mutation options of sign-out (`POST {basePath}/sign-out`: ends the Paymo session and the cookie).
 * On success the session query becomes `{ session: null }`, the user's cached data is removed and
 * other tabs follow. On failure (server down) nothing changes locally: the cookie is still valid.
 *
 * @example
 * ```tsx
 * const signOut = useMutation(paymoSignOutMutationOptions(usePaymoAuth()));
 * <button onClick={() => signOut.mutate()}>Sign out</button>
 * ```
 */
export function paymoSignOutMutationOptions(
  auth: Pick<PaymoAuthContextValue, 'client' | 'applySession'>,
): UseMutationOptions<void, PaymoAuthError, void> {
  return {
    mutationKey: paymoAuthKeys.signOut(auth.client.scope),
    mutationFn: () => auth.client.signOut(),
    onSuccess: () => auth.applySession({ session: null }, 'sign-out'),
    retry: false,
  };
}
