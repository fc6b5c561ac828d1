import { queryOptions } from './peers.js';
import type { PaymoAuthError } from '@paymo/auth-core';
import type { PaymoQueryParams, PaymoSessionData } from './createPaymoAuthClient.js';
import type { PaymoAuthContextValue } from './PaymoAuthContext.js';
import { paymoAuthKeys } from './paymoAuthKeys.js';
import type { PaymoResult } from './paymoResources.js';

/** How often a RATE_LIMITED answer is retried, each time after its Retry-After. */
const RATE_LIMIT_RETRIES = 3;

/** The signed-in user's id as the session query knows it (`null`: signed out or unknown yet). */
export function currentUserId(auth: Pick<PaymoAuthContextValue, 'client' | 'queryClient'>): number | null {
  return auth.queryClient.getQueryData<PaymoSessionData>(paymoAuthKeys.session(auth.client.scope))?.session?.user.id ?? null;
}

/** Retry a RATE_LIMITED answer after its Retry-After (a few times), nothing else. */
export const retryRateLimited = {
  retry: (failures: number, error: PaymoAuthError) => error.code === 'RATE_LIMITED' && failures < RATE_LIMIT_RETRIES,
  retryDelay: (_failures: number, error: PaymoAuthError) => Math.max(1, error.retryAfter ?? 1) * 1000,
};

/**
 * Query options of a Paymo resource read through the server's proxy (`GET {basePath}/paymo/<path>`,
 * which the server must allow), as the signed-in user. The key holds the user's id, and every such
 * query is removed from the cache when the user changes, so a user switch never shows the previous
 * user's data. A RATE_LIMITED answer is retried after its `Retry-After`, not at once. Disabled while
 * signed out.
 *
 * @example
 * ```tsx
 * const { data } = useQuery(paymoQueryOptions(usePaymoAuth(), 'projects', { include: 'tasklists' }));
 * data?.projects.map((project) => project.name);
 * ```
 */
export function paymoQueryOptions<Path extends string>(
  auth: Pick<PaymoAuthContextValue, 'client' | 'queryClient'>,
  path: Path,
  params: PaymoQueryParams = {},
) {
  const userId = currentUserId(auth);
  return queryOptions<PaymoResult<Path>, PaymoAuthError>({
    queryKey: paymoAuthKeys.paymo(auth.client.scope, userId, path, params) as unknown as readonly unknown[],
    queryFn: ({ signal }) => auth.client.paymo<PaymoResult<Path>>('GET', path, { params, signal }),
    enabled: userId !== null,
    ...retryRateLimited,
  });
}
