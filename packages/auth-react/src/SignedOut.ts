import type { ReactElement, ReactNode } from 'react';
import { Fragment, createElement } from './peers.js';
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
export function SignedOut({ children }: { children?: ReactNode }): ReactElement | null {
  const { status, session } = usePaymoSession();
  return status !== 'loading' && !session ? createElement(Fragment, null, children) : null;
}
