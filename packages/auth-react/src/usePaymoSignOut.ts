import { useMutation } from './peers.js';
import { usePaymoAuth } from './PaymoAuthContext.js';
import { paymoSignOutMutationOptions } from './paymoSignOutMutationOptions.js';

/**
 * The sign-out mutation (`isPending`, `error`).
 *
 * @example
 * ```tsx
 * const signOut = usePaymoSignOut();
 * <button disabled={signOut.isPending} onClick={() => signOut.mutate()}>Sign out</button>
 * ```
 */
export function usePaymoSignOut() {
  return useMutation(paymoSignOutMutationOptions(usePaymoAuth('usePaymoSignOut')));
}
