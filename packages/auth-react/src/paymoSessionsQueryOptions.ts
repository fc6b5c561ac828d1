import { queryOptions } from './peers.js';
import type { PaymoAuthError, PaymoSessionSummary } from '@paymo/auth-core';
import type { PaymoAuthContextValue } from './PaymoAuthContext.js';
import { paymoAuthKeys } from './paymoAuthKeys.js';

/**
 * Query options of the signed-in user's Paymo sessions (`GET {basePath}/sessions`): opaque handles,
 * IP, creation and expiry, and which one is this browser's. Removed from the cache when the user
 * changes or signs out.
 *
 * @example
 * ```tsx
 * const { data: sessions = [] } = useQuery(paymoSessionsQueryOptions(usePaymoAuth()));
 * ```
 */
export function paymoSessionsQueryOptions(auth: Pick<PaymoAuthContextValue, 'client'>) {
  return queryOptions<PaymoSessionSummary[], PaymoAuthError>({
    queryKey: paymoAuthKeys.sessions(auth.client.scope),
    queryFn: ({ signal }) => auth.client.listSessions(signal),
    retry: false,
  });
}
