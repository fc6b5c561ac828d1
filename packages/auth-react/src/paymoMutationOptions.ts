import { mutationOptions } from './peers.js';
import type { PaymoAuthError } from '@paymo/auth-core';
import type { PaymoProxyMethod } from './createPaymoAuthClient.js';
import type { PaymoAuthContextValue } from './PaymoAuthContext.js';
import { paymoAuthKeys } from './paymoAuthKeys.js';
import { currentUserId, retryRateLimited } from './paymoQueryOptions.js';

/**
 * Mutation options of a Paymo write through the server's proxy (`POST`, `PUT` or `DELETE`
 * `{basePath}/paymo/<path>`; the variables are the JSON body). On success the user's proxied queries
 * are invalidated. A RATE_LIMITED answer (Paymo did not act) is retried after its `Retry-After`.
 *
 * @example
 * ```tsx
 * const addEntry = useMutation(paymoMutationOptions(usePaymoAuth(), 'POST', 'entries'));
 * addEntry.mutate({ task_id: 1, start_time: '2026-12-01T09:00:00Z', end_time: '2026-12-01T10:00:00Z' });
 * ```
 */
export function paymoMutationOptions<TResult = unknown, TBody = unknown>(
  auth: Pick<PaymoAuthContextValue, 'client' | 'queryClient'>,
  method: Exclude<PaymoProxyMethod, 'GET'>,
  path: string,
) {
  return mutationOptions<TResult, PaymoAuthError, TBody | void>({
    mutationFn: (body) => auth.client.paymo<TResult>(method, path, body === undefined ? {} : { body }),
    onSuccess: () => auth.queryClient.invalidateQueries({ queryKey: paymoAuthKeys.paymoOfUser(auth.client.scope, currentUserId(auth)) }),
    ...retryRateLimited,
  });
}
