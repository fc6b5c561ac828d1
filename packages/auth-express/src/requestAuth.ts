import type { Request } from 'express';
import { PaymoAuthError, type PaymoAuth, type PaymoAuthState } from '@paymo/auth-core';

declare global {
  // Express's own extension point: `req.paymo` is typed in every app that imports this package.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /**
       * The request's Paymo auth state, set by `paymoAuth()` on every request it does not answer itself.
       * A union: check `req.paymo.authenticated`, or call `getPaymoAuth(req)` behind `requirePaymoAuth()`.
       */
      paymo: PaymoAuthState;
    }
  }
}

/** The auth state of a signed-in request: user, public session, strategy and a Paymo client acting as the user. */
export type PaymoAuthenticatedState = Extract<PaymoAuthState, { authenticated: true }>;

// The engine rides along on the request (under a symbol, invisible to JSON and for..in) so that
// requirePaymoAuth() can answer with the engine's own error responses without being handed it.
const engineKey = Symbol.for('@paymo/auth-express/engine');

type WithEngine = Request & { [engineKey]?: PaymoAuth };

export function attachEngine(req: Request, auth: PaymoAuth): void {
  (req as WithEngine)[engineKey] = auth;
}

/** The engine `paymoAuth()` attached, or undefined when `paymoAuth()` did not run for this request. */
export function engineOf(req: Request): PaymoAuth | undefined {
  return (req as WithEngine)[engineKey];
}

export function notRegistered(caller: string): PaymoAuthError {
  return new PaymoAuthError(
    'CONFIG_ERROR',
    `paymoAuth() must be registered before ${caller}: add app.use(paymoAuth()) ahead of this route ` +
      '(and ahead of any router that uses it).',
  );
}
