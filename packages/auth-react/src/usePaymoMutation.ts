import { useMutation } from './peers.js';
import type { PaymoProxyMethod } from './createPaymoAuthClient.js';
import { usePaymoAuth } from './PaymoAuthContext.js';
import { paymoMutationOptions } from './paymoMutationOptions.js';

/**
 * A Paymo write through the server's proxy: a plain `useMutation` result of {@link paymoMutationOptions}.
 *
 * @example
 * ```tsx
 * const remove = usePaymoMutation('DELETE', `entries/${entry.id}`);
 * <button onClick={() => remove.mutate()}>Delete</button>;
 * ```
 */
export function usePaymoMutation<TResult = unknown, TBody = unknown>(method: Exclude<PaymoProxyMethod, 'GET'>, path: string) {
  return useMutation(paymoMutationOptions<TResult, TBody>(usePaymoAuth('usePaymoMutation'), method, path));
}
