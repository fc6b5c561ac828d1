import { useMutation } from './peers.js';
import type { UseMutationResult } from '@tanstack/react-query';
import type { PaymoAuthError, PaymoPublicSession } from '@paymo/auth-core';
import { usePaymoAuth } from './PaymoAuthContext.js';
import type { PaymoSignInCredentials } from './createPaymoAuthClient.js';
import { paymoSignInMutationOptions } from './paymoSignInMutationOptions.js';

/**
 * The sign-in mutation, for forms that show `isPending` and `error.code`. `mutate(credentials)`
 * sends a copy of your object, so your form state is left as it is while the copy is wiped after sending.
 *
 * @example
 * ```tsx
 * const signIn = usePaymoSignIn();
 * <form onSubmit={() => signIn.mutate({ email, password })}>
 * {signIn.error?.code === 'INVALID_CREDENTIALS' && <p>Wrong email or password.</p>}
 * ```
 */
export function usePaymoSignIn(): UseMutationResult<PaymoPublicSession, PaymoAuthError, PaymoSignInCredentials> {
  const mutation = useMutation(paymoSignInMutationOptions(usePaymoAuth('usePaymoSignIn')));
  return {
    ...mutation,
    mutate: (credentials, options) => mutation.mutate({ ...credentials }, options),
    mutateAsync: (credentials, options) => mutation.mutateAsync({ ...credentials }, options),
  };
}
