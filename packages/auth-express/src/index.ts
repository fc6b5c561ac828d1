export { paymoAuth } from './paymoAuth.js';
export type { PaymoAuthMiddleware } from './paymoAuth.js';
export { requirePaymoAuth } from './requirePaymoAuth.js';
export type { RequirePaymoAuthOptions } from './requirePaymoAuth.js';
export { getPaymoAuth } from './getPaymoAuth.js';
export type { PaymoAuthenticatedState } from './requestAuth.js';
export { paymoAuthErrorHandler } from './paymoAuthErrorHandler.js';
export { paymoWebhook, mountPaymoWebhook } from './paymoWebhook.js';
export type { PaymoWebhookOptions, PaymoWebhookDelivery } from './paymoWebhook.js';
