/**
 * Every failure this library reports, as one closed set of codes.
 *
 * @example
 * ```ts
 * if (isPaymoAuthError(error) && error.code === PaymoAuthErrorCode.RATE_LIMITED) {
 *   retryLater(error.retryAfter);
 * }
 * ```
 */
export const PaymoAuthErrorCode = {
  MISSING_CREDENTIALS: 'MISSING_CREDENTIALS',
  MALFORMED_CREDENTIALS: 'MALFORMED_CREDENTIALS',
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  SESSION_EXPIRED: 'SESSION_EXPIRED',
  SESSION_REVOKED: 'SESSION_REVOKED',
  FORBIDDEN: 'FORBIDDEN',
  RATE_LIMITED: 'RATE_LIMITED',
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  UPSTREAM_ERROR: 'UPSTREAM_ERROR',
  STORE_UNAVAILABLE: 'STORE_UNAVAILABLE',
  CSRF_REJECTED: 'CSRF_REJECTED',
  INVALID_SIGNATURE: 'INVALID_SIGNATURE',
  BAD_REQUEST: 'BAD_REQUEST',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  NOT_FOUND: 'NOT_FOUND',
  PROXY_FORBIDDEN: 'PROXY_FORBIDDEN',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  CONFIG_ERROR: 'CONFIG_ERROR',
} as const;

/** One of the {@link PaymoAuthErrorCode} values. */
export type PaymoAuthErrorCode = (typeof PaymoAuthErrorCode)[keyof typeof PaymoAuthErrorCode];

/**
 * The HTTP status every adapter answers for each code. One table, used everywhere, so Express and
 * Nest answer identically.
 */
export const httpStatusByCode: Readonly<Record<PaymoAuthErrorCode, number>> = {
  MISSING_CREDENTIALS: 401,
  MALFORMED_CREDENTIALS: 400,
  INVALID_CREDENTIALS: 401,
  SESSION_EXPIRED: 401,
  SESSION_REVOKED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  UPSTREAM_UNAVAILABLE: 503,
  UPSTREAM_ERROR: 502,
  STORE_UNAVAILABLE: 503,
  CSRF_REJECTED: 403,
  INVALID_SIGNATURE: 401,
  BAD_REQUEST: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  NOT_FOUND: 404,
  PROXY_FORBIDDEN: 403,
  METHOD_NOT_ALLOWED: 405,
  CONFIG_ERROR: 500,
};

const brand = Symbol.for('@paymo/auth-core/PaymoAuthError');

/** Options accepted by the {@link PaymoAuthError} constructor. */
export interface PaymoAuthErrorOptions {
  /** HTTP status to answer with; defaults to the code's entry in {@link httpStatusByCode}. */
  status?: number;
  /** Seconds the client should wait before retrying (RATE_LIMITED, UPSTREAM_UNAVAILABLE, ...). */
  retryAfter?: number;
  /** The underlying error. Never put a secret in it: it may be logged. */
  cause?: unknown;
  /** The status Paymo answered, when the error comes from a Paymo response. */
  upstreamStatus?: number;
  /** Paymo's clock (ms, from its `Date` header) when it answered, when the error comes from a Paymo response. */
  upstreamDate?: number;
}

/**
 * The one error class of the library. Messages never contain passwords, API keys or tokens.
 *
 * @example
 * ```ts
 * throw new PaymoAuthError('RATE_LIMITED', 'Paymo is rate limiting this app', { retryAfter: 30 });
 * ```
 */
export class PaymoAuthError extends Error {
  // Every field is `declare`d and set in the constructor: a browser bundle compiled for targets
  // without class fields then carries no define helper and no call per field.
  declare readonly name: 'PaymoAuthError';
  declare readonly code: PaymoAuthErrorCode;
  declare readonly status: number;
  declare readonly retryAfter: number | undefined;
  /** The status Paymo answered, when the error comes from a Paymo response (e.g. 404 for a session that is gone). */
  declare readonly upstreamStatus: number | undefined;
  /** Paymo's clock (ms) when it answered, from its `Date` header, when known. */
  declare readonly upstreamDate: number | undefined;
  declare readonly [brand]: true;

  constructor(code: PaymoAuthErrorCode, message: string, options: PaymoAuthErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PaymoAuthError';
    this.code = code;
    this.status = options.status ?? httpStatusByCode[code];
    this.retryAfter = options.retryAfter;
    this.upstreamStatus = options.upstreamStatus;
    this.upstreamDate = options.upstreamDate;
    this[brand] = true;
  }

  /** The public JSON body every adapter sends: `{ error: { code, message } }`. */
  toJSON(): { error: { code: PaymoAuthErrorCode; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

/**
 * True for any {@link PaymoAuthError}, also one created by another copy of this package
 * (duplicated bundles), which `instanceof` would miss.
 */
export function isPaymoAuthError(value: unknown): value is PaymoAuthError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}
