import { queryOptions, replaceEqualDeep } from './peers.js';
import type { PaymoAuthError } from '@paymo/auth-core';
import type { PaymoAuthContextValue } from './PaymoAuthContext.js';
import type { PaymoSessionData } from './createPaymoAuthClient.js';
import { paymoAuthKeys } from './paymoAuthKeys.js';

/** Default of `refetchThrottleMs`: focus and reconnect refetch the session at most every 30 s. */
export const DEFAULT_REFETCH_THROTTLE_MS = 30_000;

/**
 * Query options of the current session (`GET {basePath}/session`). The data is
 * `{ session: PaymoPublicSession | null, endReason? }`. A 429, a 5xx or an unreachable server makes the
 * query fail (the previous data stays): `usePaymoSession()` calls that `degraded`, never signed out.
 * No automatic retry: focus, reconnect, the expiry timer and `refetch()` try again. A signed-out answer
 * does not erase why the session ended (`endReason`): once a response has cleared the cookie, the
 * server can no longer say.
 *
 * @example
 * ```tsx
 * const { data } = useQuery(paymoSessionQueryOptions(usePaymoAuth()));
 * // in a router loader, with your own client:
 * await queryClient.ensureQueryData(paymoSessionQueryOptions({ client: createPaymoAuthClient() }));
 * ```
 */
export function paymoSessionQueryOptions(
  auth: Pick<PaymoAuthContextValue, 'client'> & Partial<Pick<PaymoAuthContextValue, 'refetchThrottleMs' | 'initialSession' | 'initialSessionAt'>>,
) {
  const initial = auth.initialSession;
  return queryOptions<PaymoSessionData, PaymoAuthError>({
    queryKey: paymoAuthKeys.session(auth.client.scope),
    queryFn: ({ signal }) => auth.client.getSession(signal),
    staleTime: auth.refetchThrottleMs ?? DEFAULT_REFETCH_THROTTLE_MS,
    retry: false,
    refetchOnWindowFocus: true,
    refetchOnReconnect: true,
    structuralSharing: (previous, next) => {
      const old = previous as PaymoSessionData | undefined;
      const fresh = next as PaymoSessionData;
      return old?.endReason && !fresh.session && !fresh.endReason ? old : replaceEqualDeep(old, fresh);
    },
    ...(initial === undefined ? {} : { initialData: { session: initial }, initialDataUpdatedAt: auth.initialSessionAt }),
  });
}
