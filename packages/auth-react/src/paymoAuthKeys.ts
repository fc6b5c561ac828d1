/**
 * Query and mutation keys of `@paymo/auth-react`, one factory like TanStack's recommended key factories.
 * Every key starts with `'@paymo/auth'` and the provider's scope (its `baseUrl` + `basePath`), so two
 * providers on one `QueryClient` never share data.
 *
 * @example
 * ```ts
 * queryClient.invalidateQueries({ queryKey: paymoAuthKeys.session('/auth') });
 * queryClient.getQueryData(paymoAuthKeys.session('/auth'))?.session?.user;
 * ```
 */
export const paymoAuthKeys = {
  /** Every key of this package. */
  all: ['@paymo/auth'] as const,
  /** Every key of one provider (scope = `baseUrl + basePath`, e.g. `'/auth'`). */
  scope: (scope: string) => [...paymoAuthKeys.all, scope] as const,
  /** The current session (`GET {basePath}/session`). */
  session: (scope: string) => [...paymoAuthKeys.scope(scope), 'session'] as const,
  /** The user's Paymo sessions (`GET {basePath}/sessions`). */
  sessions: (scope: string) => [...paymoAuthKeys.scope(scope), 'sessions'] as const,
  /** Every proxied Paymo query of one user (`null`: signed out). */
  paymoOfUser: (scope: string, userId: number | null) => [...paymoAuthKeys.scope(scope), 'paymo', userId] as const,
  /** One proxied Paymo query: `GET {basePath}/paymo/<path>` with its params, for one user. */
  paymo: (scope: string, userId: number | null, path: string, params: object = {}) =>
    [...paymoAuthKeys.paymoOfUser(scope, userId), path, params] as const,
  /** Mutation key of sign-in. */
  signIn: (scope: string) => [...paymoAuthKeys.scope(scope), 'sign-in'] as const,
  /** Mutation key of sign-out. */
  signOut: (scope: string) => [...paymoAuthKeys.scope(scope), 'sign-out'] as const,
  /** Mutation key of sign-out-everywhere. */
  signOutEverywhere: (scope: string) => [...paymoAuthKeys.scope(scope), 'sign-out-everywhere'] as const,
};
