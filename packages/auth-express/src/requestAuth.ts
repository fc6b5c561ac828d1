import type { Request } from 'express';
import { PaymoAuthError, type PaymoAuthState } from '@paymo/auth-core';
import type { PaymoNodeHandler } from '@paymo/auth-core/node';

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

export type { PaymoAuthenticatedState } from '@paymo/auth-core';

// The core's Node entry of the paymoAuth() that made a state rides along on it (under a symbol,
// invisible to JSON and for..in), so that requirePaymoAuth() and the error handler answer with the
// engine's own responses without being handed it. The first paymoAuth() of the process (in most apps,
// the only one) leaves its states untagged: one property write less per request. Both live under
// registered symbols, so the ESM and CommonJS builds of this package, loaded side by side, agree.
const handlerKey = Symbol.for('@paymo/auth-express/handler');
const firstKey = Symbol.for('@paymo/auth-express/first-handler');
const global = globalThis as { [firstKey]?: PaymoNodeHandler<Request> };

type WithHandler = PaymoAuthState & { [handlerKey]?: PaymoNodeHandler<Request> };

/** Sets `req.paymo`, carrying the handler that made it. */
export function setPaymoState(req: Request, state: PaymoAuthState, handler: PaymoNodeHandler<Request>): void {
  const first = (global[firstKey] ??= handler);
  if (handler !== first) (state as WithHandler)[handlerKey] = handler;
  req.paymo = state;
}

/** The handler of the `paymoAuth()` that ran for this request, or undefined when none did. */
export function handlerOf(req: Request): PaymoNodeHandler<Request> | undefined {
  const state = req.paymo as WithHandler | undefined;
  return state === undefined ? undefined : (state[handlerKey] ?? global[firstKey]);
}

export function notRegistered(caller: string): PaymoAuthError {
  return new PaymoAuthError(
    'CONFIG_ERROR',
    `paymoAuth() must be registered before ${caller}: add app.use(paymoAuth()) ahead of this route ` +
      '(and ahead of any router that uses it).',
  );
}
