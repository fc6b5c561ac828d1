export { PaymoAuthProvider } from './PaymoAuthProvider.js';
export type { PaymoAuthProviderProps, PaymoExpiringInfo } from './PaymoAuthProvider.js';
export { PaymoAuthContext, usePaymoAuth } from './PaymoAuthContext.js';
export type { PaymoAuthContextValue, PaymoSessionChangeOrigin } from './PaymoAuthContext.js';
export { usePaymoSession } from './usePaymoSession.js';
export type { PaymoSessionStatus, PaymoSignInResult, PaymoSignOutResult, UsePaymoSessionResult } from './usePaymoSession.js';
export { usePaymoSessions } from './usePaymoSessions.js';
export { usePaymoSignIn } from './usePaymoSignIn.js';
export { usePaymoSignOut } from './usePaymoSignOut.js';
export { usePaymoSignOutEverywhere } from './usePaymoSignOutEverywhere.js';
export { SignedIn } from './SignedIn.js';
export { SignedOut } from './SignedOut.js';
export { paymoAuthKeys } from './paymoAuthKeys.js';
export { paymoSessionQueryOptions } from './paymoSessionQueryOptions.js';
export { paymoSessionsQueryOptions } from './paymoSessionsQueryOptions.js';
export { paymoSignInMutationOptions } from './paymoSignInMutationOptions.js';
export { paymoSignOutMutationOptions } from './paymoSignOutMutationOptions.js';
export { paymoSignOutEverywhereMutationOptions } from './paymoSignOutEverywhereMutationOptions.js';
export { paymoQueryOptions } from './paymoQueryOptions.js';
export { paymoMutationOptions } from './paymoMutationOptions.js';
export { usePaymoQuery } from './usePaymoQuery.js';
export { usePaymoMutation } from './usePaymoMutation.js';
export type {
  PaymoResult,
  PaymoResourceEnvelopes,
  PaymoProject,
  PaymoTaskList,
  PaymoTask,
  PaymoTimeEntry,
  PaymoClientResource,
  PaymoUserResource,
  PaymoCompany,
} from './paymoResources.js';
export { createPaymoAuthClient } from './createPaymoAuthClient.js';
export type {
  PaymoAuthClient,
  PaymoAuthClientOptions,
  PaymoSessionData,
  PaymoSessionEndReason,
  PaymoSignInCredentials,
  PaymoProxyMethod,
  PaymoQueryParams,
  PaymoProxyRequestInit,
} from './createPaymoAuthClient.js';
export type { PaymoCrossTabEvent } from './createCrossTabChannel.js';
export type { PaymoAuthErrorCode, PaymoPublicSession, PaymoPublicUser, PaymoSessionSummary } from '@paymo/auth-core';
export { PaymoAuthError, isPaymoAuthError } from '@paymo/auth-core';
