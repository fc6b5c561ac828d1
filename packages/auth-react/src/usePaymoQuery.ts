import { useQuery } from './peers.js';
import type { PaymoQueryParams } from './createPaymoAuthClient.js';
import { usePaymoAuth } from './PaymoAuthContext.js';
import { paymoQueryOptions } from './paymoQueryOptions.js';
import { usePaymoSession } from './usePaymoSession.js';

/**
 * A Paymo resource through the server's proxy, as the signed-in user: a plain `useQuery` result of
 * {@link paymoQueryOptions}. Re-renders with the session, so a user switch starts a fresh query.
 *
 * @example
 * ```tsx
 * const { data, isPending } = usePaymoQuery('projects');
 * if (!isPending) data?.projects.map((project) => <li key={project.id}>{project.name}</li>);
 * ```
 */
export function usePaymoQuery<Path extends string>(path: Path, params?: PaymoQueryParams) {
  usePaymoSession(); // the key follows the signed-in user
  return useQuery(paymoQueryOptions(usePaymoAuth('usePaymoQuery'), path, params));
}
