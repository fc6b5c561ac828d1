import type { ReactElement, ReactNode } from 'react';
import { Fragment, createElement } from './peers.js';
import { usePaymoSession } from './usePaymoSession.js';

/**
 * Renders its children only when there is a session (also while `degraded` with a known session).
 * Renders nothing while loading, so signed-out content never flashes.
 *
 * @example
 * ```tsx
 * <SignedIn><Dashboard /></SignedIn>
 * ```
 */
export function SignedIn({ children }: { children?: ReactNode }): ReactElement | null {
  return usePaymoSession().session ? createElement(Fragment, null, children) : null;
}
