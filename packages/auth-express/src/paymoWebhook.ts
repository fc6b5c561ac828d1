import type { Application, NextFunction, Request, RequestHandler, Response } from 'express';
import { isPaymoAuthError, PaymoAuthError } from '@paymo/auth-core';
import { createPaymoWebhookReader, type PaymoWebhookDelivery, type PaymoWebhookOptions } from '@paymo/auth-core/node';

export type { PaymoWebhookDelivery, PaymoWebhookOptions };

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by `paymoWebhook()` once the signature checked out. */
      paymoWebhook?: PaymoWebhookDelivery;
    }
  }
}

function answer(res: Response, error: PaymoAuthError): void {
  res.statusCode = error.status;
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(error.toJSON()));
}

/**
 * Verifies a Paymo webhook delivery (`X-Paymo-Signature`, HMAC-SHA1 of the raw body) and puts it on
 * `req.paymoWebhook`; a missing or wrong signature answers 401 `INVALID_SIGNATURE`, a body that is not
 * JSON 400 `BAD_REQUEST`. It reads the raw bytes itself; when the app's parsers run first, use
 * {@link mountPaymoWebhook}, which puts the route ahead of them.
 *
 * @example
 * ```ts
 * app.post('/webhooks/paymo', paymoWebhook({ secret: process.env.PAYMO_HOOK_SECRET! }), (req, res) => {
 *   console.log(req.paymoWebhook!.event);
 *   res.sendStatus(200);
 * });
 * ```
 */
export function paymoWebhook(options: PaymoWebhookOptions): RequestHandler {
  const readDelivery = createPaymoWebhookReader(options, 'paymoWebhook');
  return (req: Request, res: Response, next: NextFunction): void => {
    readDelivery(req).then(
      (delivery) => {
        req.paymoWebhook = delivery;
        next();
      },
      // A typed refusal (bad signature, not JSON, too large) is answered here; a misconfigured
      // parser chain (CONFIG_ERROR) or anything else goes to the app's error handler.
      (error: unknown) => (isPaymoAuthError(error) && error.code !== 'CONFIG_ERROR' ? answer(res, error) : next(error)),
    );
  };
}

interface Layer {
  name?: string;
}

/**
 * Registers `POST path` with {@link paymoWebhook} ahead of every middleware the app has or will have
 * (body parsers included), so the signature is checked over the bytes Paymo sent, whatever parsers the
 * app uses. Express 4 and 5.
 *
 * @example
 * ```ts
 * app.use(express.json());
 * mountPaymoWebhook(app, '/webhooks/paymo', { secret }, (req, res) => res.sendStatus(200));
 * ```
 */
export function mountPaymoWebhook(app: Application, path: string, options: PaymoWebhookOptions, ...handlers: RequestHandler[]): void {
  app.post(path, paymoWebhook(options), ...handlers);
  const router = (app as unknown as { router?: { stack: Layer[] }; _router?: { stack: Layer[] } });
  const stack = (router._router ?? router.router)?.stack;
  if (!stack) throw new PaymoAuthError('CONFIG_ERROR', 'mountPaymoWebhook: this Express app has no router stack');
  const layer = stack.pop()!;
  // After Express 4's own `query` and `expressInit` layers (they give res.json & co.), before anything else.
  let index = 0;
  while (index < stack.length && (stack[index]!.name === 'query' || stack[index]!.name === 'expressInit')) index++;
  stack.splice(index, 0, layer);
}
