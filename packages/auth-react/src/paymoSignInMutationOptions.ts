import type { UseMutationOptions } from '@tanstack/react-query';
import type { PaymoAuthError, PaymoPublicSession } from '@paymo/auth-core';
import type { PaymoAuthContextValue } from './PaymoAuthContext.js';
import type { PaymoSignInCredentials } from './createPaymoAuthClient.js';
import { paymoAuthKeys } from './paymoAuthKeys.js';

/**
 * Mutation options of sign-in (`POST {basePath}/sign-in`). On success the session query holds the new
 * session at once (no refetch), other tabs are told, and a previous user's cached data is removed.
 *
 * The credentials never outlive the call: once the request body is built, `password` and `apiKey` are
 * deleted from the object you passed to `mutate()` (TanStack keeps `variables` in its cache and
 * devtools), and the mutation is dropped from the cache as soon as it settles (`gcTime: 0`). Pass a
 * fresh object, e.g. `mutate({ email, password })`, not your form state.
 *
 * @example
 * ```tsx
 * const signIn = useMutation(paymoSignInMutationOptions(usePaymoAuth()));
 * signIn.mutate({ email, password });
 * if (signIn.error?.code === 'INVALID_CREDENTIALS') ...
 * ```
 */
export function paymoSignInMutationOptions(
  auth: Pick<PaymoAuthContextValue, 'client' | 'applySession'>,
): UseMutationOptions<PaymoPublicSession, PaymoAuthError, PaymoSignInCredentials> {
  return {
    mutationKey: paymoAuthKeys.signIn(auth.client.scope),
    mutationFn: (credentials) => {
      const pending = auth.client.signIn(credentials);
      forgetSecrets(credentials);
      return pending;
    },
    onSuccess: (session) => auth.applySession({ session }, 'sign-in'),
    gcTime: 0,
    retry: false,
  };
}

function forgetSecrets(credentials: PaymoSignInCredentials): void {
  const record = credentials as Partial<Record<'password' | 'apiKey', string>>;
  delete record.password;
  delete record.apiKey;
}
