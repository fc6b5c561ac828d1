import type { FakeError, FakeErrorOverride } from './errors.js';
import type { FakeRoute } from './router.js';
import type { FakePaymoSeed } from './seed.js';
import type { PaymoUser } from './types.js';

/**
 * How requests are grouped for rate limiting: `'user'` (one quota per Paymo user whatever credential
 * they send), `'credential'` (one per API key, session token or email:password), `'ip'` (one per client
 * IP), or `'off'` (no limit, no 429; the headers still report the limit).
 */
export type RateLimitScope = 'user' | 'credential' | 'ip' | 'off';

/**
 * The default quota: 5 requests per 5 s per Paymo user. The docs give no numbers; third-party SDKs that
 * run against the real API report these (DESIGN.md section 8, 3RD-PARTY).
 *
 * @example
 * const fake = await createFakePaymo(); // fake.rateLimit.settings.limit === DEFAULT_RATE_LIMIT.limit
 */
export const DEFAULT_RATE_LIMIT: Readonly<Required<RateLimitOptions>> = Object.freeze({
  limit: 5,
  decayPeriodSeconds: 5,
  scope: 'user',
  headerCase: 'lower',
});

/**
 * Casing of the rate-limit headers: `'lower'` (default: `x-ratelimit-limit`, what HTTP/2 and the
 * third-party SDKs see, 3RD-PARTY) or `'docs'` (`X-Ratelimit-Limit`, as the docs print them, READ).
 */
export type RateLimitHeaderCase = 'lower' | 'docs';

/**
 * Rate limiter settings (paymo-api.md §5: the headers and 429 behaviour are READ, the numbers are not).
 *
 * @example
 * await createFakePaymo({ rateLimit: { limit: 5, decayPeriodSeconds: 60, scope: 'ip' } });
 */
export interface RateLimitOptions {
  /** Requests allowed per window. Default 5 (3RD-PARTY, see {@link DEFAULT_RATE_LIMIT}). */
  limit?: number;
  /** Window length in seconds (`x-ratelimit-decay-period`). Default 5. */
  decayPeriodSeconds?: number;
  /**
   * `'user'` (default): one window per authenticated user whatever credential, unauthenticated requests
   * per client IP. `'credential'`: one window per credential. `'ip'`: one window per client IP whoever
   * signs in. `'off'`: never 429.
   */
  scope?: RateLimitScope;
  /** Casing of the `x-ratelimit-*` and `retry-after` header names. Default `'lower'`. */
  headerCase?: RateLimitHeaderCase;
}

/**
 * Options of `createFakePaymo()`. All optional; the defaults are the behaviour table in the README.
 *
 * @example
 * const fake = await createFakePaymo({
 *   createSessionStatus: 200,
 *   rateLimit: { limit: 5, decayPeriodSeconds: 60 },
 *   startTime: new Date('2015-01-16T13:54:41Z'),
 *   errorResponse: (error) => (error.status === 401 ? { headers: { 'WWW-Authenticate': 'Basic realm="Paymo"' } } : undefined),
 * });
 */
export interface FakePaymoOptions {
  /** Port to listen on. Default 0 (a free port; read `fake.url`). */
  port?: number;
  /** Host to listen on. Default `'127.0.0.1'`. */
  host?: string;
  /** Session lifetime (INFERRED from the doc examples). Default 31 days. */
  sessionLifetimeMs?: number;
  /** Whether using a session pushes its `expires_on` (and `updated_on`) forward. Default false (INFERRED). */
  slidingExpiry?: boolean;
  /** Status of a successful `POST /api/sessions`. Default 201 (with `Location`), or 200 (INFERRED). */
  createSessionStatus?: 201 | 200;
  /** `Location` of a 201: `'absolute'` URL (default) or `'path'` (`/api/sessions/<id>`). */
  locationHeader?: 'absolute' | 'path';
  /** Rate limiter settings; also changeable later with `fake.rateLimit.configure()`. */
  rateLimit?: RateLimitOptions;
  /**
   * Which `/api` answers carry `X-Ratelimit-*`: `'all'` (default, errors and 429 included) or only
   * `'success'` (2xx; a 429 then has `Retry-After` alone) (INFERRED).
   */
  rateLimitHeaders?: 'all' | 'success';
  /** When both `X-Session` and `Authorization: Basic` are sent, `X-Session` decides. Default true (INFERRED). */
  sessionHeaderWins?: boolean;
  /** Whether a request authenticated by `X-Session` may `POST /api/sessions`. Default false (INFERRED). */
  allowSessionToCreateSession?: boolean;
  /** Whether `GET /api/sessions[/:id]` still shows expired sessions. Default false (INFERRED). */
  listExpiredSessions?: boolean;
  /** Body of a `200` on `DELETE /api/sessions/:id`: `'empty'` (default) or `'object'` (`{}`) (INFERRED). */
  deleteSessionBody?: 'empty' | 'object';
  /**
   * Body of a `200` on `DELETE` of a resource (project, task, entry, hook, ...): `'empty'` (default) or
   * `'object'` (`{}`). Paymo's docs say only "200 OK" (INFERRED); empty is the stricter test of a client.
   */
  deleteBody?: 'empty' | 'object';
  /**
   * Serve the HTTP test-control API under this path prefix (e.g. `'/__control'`), for tests in any
   * language. Default `false` (off); the CLI turns it on.
   */
  controlPath?: string | false;
  /** `Accept` that JSON cannot satisfy (e.g. `text/xml`): `'reject'` with 406 (default) or serve `'json'`. */
  unsupportedAccept?: 'reject' | 'json';
  /** Status for a known path with a verb the fake does not serve: 405 with `Allow` (default) or 404. */
  unsupportedMethodStatus?: 405 | 404;
  /** `Content-Type` of JSON responses. Default `'application/json'` (Paymo's charset is unknown). */
  contentType?: string;
  /** Match Basic emails case-sensitively. Default false (INFERRED). */
  emailCaseSensitive?: boolean;
  /** Body of `GET /api/me` for the current user. Default `{ users: [user] }` (INFERRED). */
  meBody?: (user: PaymoUser) => unknown;
  /**
   * Rewrites any error answer (status, body, headers), e.g. to add `WWW-Authenticate` or another error
   * body shape. Return `undefined` to keep the default `{"message"}` answer.
   */
  errorResponse?: (error: FakeError) => FakeErrorOverride | undefined;
  /** Request bodies above this many bytes get 413. Default 1 MiB. */
  maxBodyBytes?: number;
  /** An `Authorization` or `X-Session` header longer than this gets 401. Default 4096. */
  maxCredentialHeaderBytes?: number;
  /** All request headers together above this many bytes get 431 (Node's `maxHeaderSize`). Default 64 KiB. */
  maxHeaderBytes?: number;
  /** Where the fake clock starts (epoch ms or Date). Default: real time. */
  startTime?: number | Date;
  /** Start with a frozen clock (time moves only by `fake.clock.advance/set`). Default false. */
  frozenClock?: boolean;
  /** Replace parts of the seed data (each given part replaces the default part whole). */
  seed?: Partial<FakePaymoSeed>;
  /** Extra endpoints (checked before the built-in ones), e.g. a `/api/projects` your app reads. */
  routes?: FakeRoute[];
  /** Print one line per request (`true`: to stderr; or your own sink). Never prints credentials. Default false. */
  log?: boolean | ((line: string) => void);
}

/** @internal Options with every default applied. */
export type ResolvedOptions = Required<Omit<FakePaymoOptions, 'rateLimit' | 'startTime' | 'seed' | 'errorResponse' | 'log'>> & {
  rateLimit: Required<RateLimitOptions>;
  startTime: number | Date | undefined;
  seed: Partial<FakePaymoSeed>;
  errorResponse: FakePaymoOptions['errorResponse'];
  log: ((line: string) => void) | undefined;
};

/**
 * Session lifetime the doc examples show (created + 31 days).
 *
 * @example
 * fake.clock.advance(DEFAULT_SESSION_LIFETIME_MS); // every session created before is now expired
 */
export const DEFAULT_SESSION_LIFETIME_MS = 31 * 24 * 60 * 60 * 1000;

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value <= 0) throw new TypeError(`createFakePaymo: ${name} must be a positive integer`);
  return value;
}

function oneOf<T extends string | number>(value: T | undefined, allowed: readonly T[], name: string): T {
  const chosen = value ?? allowed[0]!;
  if (!allowed.includes(chosen)) throw new TypeError(`createFakePaymo: ${name} must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`);
  return chosen;
}

/** @internal */
export function resolveRateLimit(rateLimit: RateLimitOptions = {}, base?: Required<RateLimitOptions>): Required<RateLimitOptions> {
  const scope = oneOf<RateLimitScope>(rateLimit.scope ?? base?.scope, ['user', 'credential', 'ip', 'off'], 'rateLimit.scope');
  const headerCase = oneOf<RateLimitHeaderCase>(rateLimit.headerCase ?? base?.headerCase, ['lower', 'docs'], 'rateLimit.headerCase');
  return {
    limit: positiveInteger(rateLimit.limit ?? base?.limit ?? DEFAULT_RATE_LIMIT.limit, 'rateLimit.limit'),
    decayPeriodSeconds: positiveInteger(
      rateLimit.decayPeriodSeconds ?? base?.decayPeriodSeconds ?? DEFAULT_RATE_LIMIT.decayPeriodSeconds,
      'rateLimit.decayPeriodSeconds',
    ),
    scope,
    headerCase,
  };
}

function controlPath(path: string | false | undefined): string | false {
  if (path === undefined || path === false) return false;
  if (!/^\/[A-Za-z0-9_-]+$/.test(path) || path === '/api') throw new TypeError("createFakePaymo: controlPath must look like '/__control' (one segment, not /api)");
  return path;
}

/** @internal */
export function resolveOptions(options: FakePaymoOptions = {}): ResolvedOptions {
  const log = options.log === true ? (line: string) => process.stderr.write(`${line}\n`) : options.log || undefined;
  return {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    sessionLifetimeMs: positiveInteger(options.sessionLifetimeMs ?? DEFAULT_SESSION_LIFETIME_MS, 'sessionLifetimeMs'),
    slidingExpiry: options.slidingExpiry ?? false,
    createSessionStatus: oneOf(options.createSessionStatus, [201, 200] as const, 'createSessionStatus'),
    locationHeader: oneOf(options.locationHeader, ['absolute', 'path'] as const, 'locationHeader'),
    rateLimit: resolveRateLimit(options.rateLimit),
    rateLimitHeaders: oneOf(options.rateLimitHeaders, ['all', 'success'] as const, 'rateLimitHeaders'),
    sessionHeaderWins: options.sessionHeaderWins ?? true,
    allowSessionToCreateSession: options.allowSessionToCreateSession ?? false,
    listExpiredSessions: options.listExpiredSessions ?? false,
    deleteSessionBody: oneOf(options.deleteSessionBody, ['empty', 'object'] as const, 'deleteSessionBody'),
    deleteBody: oneOf(options.deleteBody, ['empty', 'object'] as const, 'deleteBody'),
    controlPath: controlPath(options.controlPath),
    unsupportedAccept: oneOf(options.unsupportedAccept, ['reject', 'json'] as const, 'unsupportedAccept'),
    unsupportedMethodStatus: oneOf(options.unsupportedMethodStatus, [405, 404] as const, 'unsupportedMethodStatus'),
    contentType: options.contentType ?? 'application/json',
    emailCaseSensitive: options.emailCaseSensitive ?? false,
    meBody: options.meBody ?? ((user) => ({ users: [user] })),
    errorResponse: options.errorResponse,
    maxBodyBytes: positiveInteger(options.maxBodyBytes ?? 1024 * 1024, 'maxBodyBytes'),
    maxCredentialHeaderBytes: positiveInteger(options.maxCredentialHeaderBytes ?? 4096, 'maxCredentialHeaderBytes'),
    maxHeaderBytes: positiveInteger(options.maxHeaderBytes ?? 64 * 1024, 'maxHeaderBytes'),
    startTime: options.startTime,
    frozenClock: options.frozenClock ?? false,
    seed: options.seed ?? {},
    routes: options.routes ?? [],
    log,
  };
}
