import { expect, it } from 'vitest';
import * as api from '../index.js';

it('exports exactly the documented names', () => {
  expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
    [
      "PAYMO_AUTH",
      "PAYMO_AUTH_MODULE_OPTIONS",
      "PAYMO_NODE_HANDLER",
      "PAYMO_PUBLIC_KEY",
      "PAYMO_SERVICE_CLIENT",
      "PAYMO_USER_TYPES_KEY",
      "PaymoAuthExceptionFilter",
      "PaymoAuthGuard",
      "PaymoAuthMiddleware",
      "PaymoAuthModule",
      "PaymoClient",
      "PaymoSession",
      "PaymoUser",
      "PaymoUserType",
      "PaymoWebhook",
      "PaymoWebhookGuard",
      "Public",
    ]
  `);
});
