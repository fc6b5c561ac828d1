import type { ReactNode } from 'react';
import { usePaymoSession } from './usePaymoSession.js';

/**
 * Renders its children only when there is no session: signed out, or `degraded` with no known session.
 * Renders nothing while loading.
 *
 * @example
 * ```tsx
 * <SignedOut><SignInForm /></SignedOut>
 * ```
 */
export function SignedOut({ children }: { children?: ReactNode }) {
  const { status, session } = usePaymoSession();
  return status !== 'loading' && !session ? <>{children}</> : null;
}
