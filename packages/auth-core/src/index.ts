export { PaymoAuthError, PaymoAuthErrorCode, httpStatusByCode, isPaymoAuthError } from './errors.js';
export type { PaymoAuthErrorOptions } from './errors.js';
export { paymoAuthErrorFromResponse } from './paymoAuthErrorFromResponse.js';
export type { PaymoCredential } from './credentials.js';
export type { PaymoUser, PaymoSessionResource } from './user.js';
export type { PaymoPublicSession, PaymoPublicUser, PaymoAuthStrategy, PaymoSessionSummary } from './publicSession.js';
export type { SessionStore, SessionStoreSetOptions } from './store/SessionStore.js';
export { MemorySessionStore } from './store/MemorySessionStore.js';
export type { MemorySessionStoreOptions, MemorySessionStoreStats } from './store/MemorySessionStore.js';
export type {
  PaymoClient,
  PaymoClientOptions,
  PaymoRateLimit,
  PaymoResponse,
  PaymoResponseMeta,
  PaymoQuotaOptions,
  PaymoRetryOptions,
  PaymoServiceOptions,
} from './client/types.js';
export type {
  PaymoAuth,
  PaymoAuthOptions,
  PaymoAuthState,
  PaymoAuthenticatedState,
  PaymoAuthStrategies,
  PaymoAuthLogEvent,
  PaymoAuthRequestLike,
  PaymoRequestContext,
} from './engine/types.js';
export type { PaymoProxyOptions, PaymoProxyRule, PaymoProxyMethod } from './engine/proxyAllowList.js';
export { createPaymoAuth } from './engine/createPaymoAuth.js';
export { credentialHeaders, API_KEY_FILLER_PASSWORD } from './credentialHeaders.js';
export { parseRequestCredential } from './parseRequestCredential.js';
export type { ParseRequestCredentialOptions, ParsedRequestCredential, HeaderReader } from './parseRequestCredential.js';
export { createPaymoClient } from './client/createPaymoClient.js';
export { normalizeBaseUrl, DEFAULT_PAYMO_BASE_URL } from './client/normalizeBaseUrl.js';
export { createServiceClient, type ServiceClientOptions } from './client/createServiceClient.js';
export { verifyPaymoWebhook } from './verifyPaymoWebhook.js';
export type { VerifyPaymoWebhookOptions } from './verifyPaymoWebhook.js';
