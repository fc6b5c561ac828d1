import { hashKey } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import type { PaymoSessionData } from './createPaymoAuthClient.js';
import type { PaymoSessionChangeOrigin } from './PaymoAuthContext.js';
import { paymoAuthKeys } from './paymoAuthKeys.js';

/** Where the latest session change came from, as far as this tab knows. */
export type PaymoSessionOrigin = PaymoSessionChangeOrigin | 'other-tab';

interface WatchHooks {
  /** Returns (and forgets) the origin of the change being written, if this tab caused it. */
  takeOrigin(): PaymoSessionOrigin | undefined;
  onExpired(): void;
}

/**
 * Watches the session query and reacts when the signed-in user changes (A to nobody, nobody to B, A to
 * B): every other query of the cache is removed, so nothing the previous user could see survives.
 * `removeQueries` rather than `clear()`: the session query itself stays, so the UI does not fall back
 * to `loading` and refetch it. Mutations are left alone (the sign-in mutation may be settling).
 *
 * A session that vanished on a server refetch that this tab did not cause gets a reason: expired when
 * its `expiresAt` has passed, otherwise revoked (ended in Paymo, or "sign out everywhere" elsewhere).
 */
export function watchPaymoSession(queryClient: QueryClient, scope: string, hooks: WatchHooks): () => void {
  const key = paymoAuthKeys.session(scope);
  const hash = hashKey(key);
  let last = queryClient.getQueryData<PaymoSessionData>(key);
  return queryClient.getQueryCache().subscribe((event) => {
    if (event.type !== 'updated' || event.action.type !== 'success' || event.query.queryHash !== hash) return;
    const origin = hooks.takeOrigin();
    const previous = last;
    const data = event.query.state.data as PaymoSessionData | undefined;
    last = data;
    if (previous === undefined || data === undefined) return;
    const before = previous.session?.user.id ?? null;
    const after = data.session?.user.id ?? null;
    if (before === after) return;
    queryClient.removeQueries({ predicate: (query) => query.queryHash !== hash });
    if (previous.session && !data.session) {
      let reason = data.endReason;
      if (!reason && origin === undefined) {
        reason = Date.parse(previous.session.expiresAt) <= Date.now() ? 'SESSION_EXPIRED' : 'SESSION_REVOKED';
        queryClient.setQueryData<PaymoSessionData>(key, { session: null, endReason: reason });
      }
      if (reason === 'SESSION_EXPIRED') hooks.onExpired();
    }
  });
}
