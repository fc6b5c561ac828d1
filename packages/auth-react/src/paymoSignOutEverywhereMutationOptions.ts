import type { UseMutationOptions } from '@tanstack/react-query';
import type { PaymoAuthError } from '@paymo/auth-core';
import type { PaymoAuthContextValue } from './PaymoAuthContext.js';
import { paymoAuthKeys } from './paymoAuthKeys.js';

/**
 * Mutation options of sign-out-everywhere (`POST {basePath}/sign-out-everywhere`): ends every Paymo
 * session of the user and every local one. Resolves `{ revoked }`, the number ended. This tab and the
 * others follow as with sign-out; other browsers notice at their next request.
 *
 * @example
 * ```tsx
 * const everywhere = useMutation(paymoSignOutEverywhereMutationOptions(usePaymoAuth()));
 * ```
 */
export function paymoSignOutEverywhereMutationOptions(
  auth: Pick<PaymoAuthContextValue, 'client' | 'applySession'>,
): UseMutationOptions<{ revoked: number }, PaymoAuthError, void> {
  return {
    mutationKey: paymoAuthKeys.signOutEverywhere(auth.client.scope),
    mutationFn: () => auth.client.signOutEverywhere(),
    onSuccess: () => auth.applySession({ session: null }, 'sign-out'),
    retry: false,
  };
}
