import { PaymoAuthError } from '../errors.js';

/**
 * The 403 FORBIDDEN for a signed-in user whose Paymo type (`Admin`, `Employee`, ...) a route does not
 * allow; undefined when the route allows it, or names no types. One message for every adapter.
 *
 * @example
 * ```ts
 * const refusal = userTypeError(state.user, ['Admin']);
 * if (refusal) throw refusal;
 * ```
 */
export function userTypeError(user: { type: string }, allowed: readonly string[] | undefined): PaymoAuthError | undefined {
  if (!allowed || allowed.includes(user.type)) return undefined;
  return new PaymoAuthError('FORBIDDEN', `This route is for Paymo users of type ${allowed.join(' or ')}`);
}
