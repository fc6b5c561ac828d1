/**
 * Injection token of the engine (`createPaymoAuth()` from `@paymo/auth-core`) that the module built.
 *
 * @example
 * ```ts
 * constructor(@Inject(PAYMO_AUTH) private readonly auth: PaymoAuth) {}
 * ```
 */
export const PAYMO_AUTH = 'PAYMO_AUTH';

/** Injection token of the engine's Node entry (`createPaymoNodeHandler()`), which the guard, middleware and filter use. */
export const PAYMO_NODE_HANDLER = 'PAYMO_NODE_HANDLER';

/**
 * Injection token of the service-account Paymo client: the server's own client, minted from
 * `serviceApiKey` and renewed before it expires. Its calls reject with `CONFIG_ERROR` when the
 * module has no `serviceApiKey`.
 *
 * @example
 * ```ts
 * constructor(@Inject(PAYMO_SERVICE_CLIENT) private readonly paymo: PaymoClient) {}
 * ```
 */
export const PAYMO_SERVICE_CLIENT = 'PAYMO_SERVICE_CLIENT';

/** Metadata key set by `@Public()`. */
export const PAYMO_PUBLIC_KEY = 'paymo:public';

/** Metadata key set by `@PaymoUserType()`. */
export const PAYMO_USER_TYPES_KEY = 'paymo:userTypes';
