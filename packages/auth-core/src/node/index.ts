// The Node entry of the engine for server adapters (Express, NestJS) and plain node:http servers.
export { createPaymoNodeHandler } from './createPaymoNodeHandler.js';
export type { FrameworkRequestFacts, PaymoNodeHandler } from './createPaymoNodeHandler.js';
export type { NodeRequest } from './nodeRequestLike.js';
export { toWebRequest } from './toWebRequest.js';
export type { ToWebRequestOptions } from './toWebRequest.js';
export { sendWebResponse } from './sendWebResponse.js';
export { createPaymoWebhookReader } from './readPaymoWebhook.js';
export type { PaymoWebhookOptions, PaymoWebhookDelivery } from './readPaymoWebhook.js';
