import { useMutation } from './peers.js';
import { usePaymoAuth } from './PaymoAuthContext.js';
import { paymoSignOutEverywhereMutationOptions } from './paymoSignOutEverywhereMutationOptions.js';

/**
 * The sign-out-everywhere mutation; `data.revoked` is how many sessions ended.
 *
 * @example
 * ```tsx
 * const everywhere = usePaymoSignOutEverywhere();
 * <button onClick={() => everywhere.mutate()}>Sign out everywhere</button>
 * ```
 */
export function usePaymoSignOutEverywhere() {
  return useMutation(paymoSignOutEverywhereMutationOptions(usePaymoAuth('usePaymoSignOutEverywhere')));
}
