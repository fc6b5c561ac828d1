import { useQuery } from './peers.js';
import { usePaymoAuth } from './PaymoAuthContext.js';
import { paymoSessionsQueryOptions } from './paymoSessionsQueryOptions.js';

/**
 * The signed-in user's Paymo sessions (opaque handles, never tokens). A plain `useQuery` result.
 *
 * @example
 * ```tsx
 * const { data: sessions = [] } = usePaymoSessions();
 * sessions.map((s) => <li key={s.handle}>{s.ip} {s.current && '(this browser)'}</li>);
 * ```
 */
export function usePaymoSessions() {
  return useQuery(paymoSessionsQueryOptions(usePaymoAuth('usePaymoSessions')));
}
