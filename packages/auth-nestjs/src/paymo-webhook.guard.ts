import { createParamDecorator, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { createPaymoWebhookReader, type PaymoWebhookDelivery, type PaymoWebhookOptions } from '@paymo/auth-core/node';
import { nodeRequestOf, type PlatformRequest } from './paymo-auth.request.js';

/** Options of {@link PaymoWebhookGuard}. */
export type PaymoWebhookGuardOptions = PaymoWebhookOptions;
export type { PaymoWebhookDelivery };

type WebhookRequest = PlatformRequest & { rawBody?: unknown; paymoWebhook?: PaymoWebhookDelivery; headers: Record<string, string | string[] | undefined> };

/**
 * Lets a Paymo webhook delivery through only when `X-Paymo-Signature` is the HMAC-SHA1 of the raw body
 * keyed with the hook's secret; otherwise throws a typed 401 `INVALID_SIGNATURE` (answered by the
 * module's exception filter). It takes the raw bytes from `req.rawBody` (`NestFactory.create(App,
 * { rawBody: true })`, which keeps them alongside Nest's JSON and form parsers), from the unread stream
 * (`bodyParser: false`), or from a Buffer body (`express.raw()`); a parser that kept none is a
 * CONFIG_ERROR saying so. Mark the route `@Public()` when the auth guard is global.
 *
 * @example
 * ```ts
 * @Public()
 * @UseGuards(new PaymoWebhookGuard({ secret: process.env.PAYMO_HOOK_SECRET! }))
 * @Post('webhooks/paymo')
 * hook(@PaymoWebhook() delivery: PaymoWebhookDelivery) { return { received: delivery.event }; }
 * ```
 */
export class PaymoWebhookGuard implements CanActivate {
  private readonly readDelivery: ReturnType<typeof createPaymoWebhookReader>;

  constructor(options: PaymoWebhookGuardOptions) {
    this.readDelivery = createPaymoWebhookReader(options, 'PaymoWebhookGuard');
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<WebhookRequest>();
    // Fastify keeps rawBody on its own request object; Express on the IncomingMessage itself.
    request.paymoWebhook = await this.readDelivery(nodeRequestOf(request), request.rawBody instanceof Uint8Array ? request.rawBody : undefined);
    return true;
  }
}

/**
 * The delivery {@link PaymoWebhookGuard} verified for this request.
 *
 * @example
 * ```ts
 * hook(@PaymoWebhook() delivery: PaymoWebhookDelivery) { console.log(delivery.event); }
 * ```
 */
export const PaymoWebhook = createParamDecorator((_data: unknown, context: ExecutionContext): PaymoWebhookDelivery | undefined => {
  return context.switchToHttp().getRequest<WebhookRequest>().paymoWebhook;
});
