import { DEFAULT_PAYMO_BASE_URL, normalizeBaseUrl } from '../client/normalizeBaseUrl.js';
import { PaymoAuthError } from '../errors.js';
import type { SessionStore } from '../store/SessionStore.js';
import type { PaymoAuthLogEvent, PaymoAuthOptions } from './types.js';
import { compileProxyAllowList, type CompiledProxyRule } from './proxyAllowList.js';

/** {@link PaymoAuthOptions} with every default applied and every value checked. */
export interface ResolvedPaymoAuthOptions {
  baseUrl: string;
  basePath: string;
  /** Undefined: the engine creates (and owns) a memory store. */
  store: SessionStore | undefined;
  strategies: { cookie: boolean; sessionHeader: boolean; basic: boolean };
  session: {
    maxAgeMs: number;
    idleTimeoutMs: number;
    touchIntervalMs: number;
    revalidateAfterMs: number;
    revalidateGraceMs: number;
    maxPerUser: number;
  };
  passThroughCacheMs: number;
  passThroughMaxPerUser: number;
  /** Authenticates store records when set. */
  secret: string | undefined;
  /** The Paymo proxy's allow-list (empty: nothing is forwarded). */
  proxy: readonly CompiledProxyRule[];
  /** Failed pass-through verdicts are cached this long (shorter, so a fixed typo is not punished long). */
  passThroughFailureCacheMs: number;
  cookie: { name: string; sameSite: 'Lax' | 'Strict' };
  trustedOrigins: ReadonlySet<string>;
  signInRateLimit: { perIp: number; perAccount: number; windowMs: number };
  timeoutMs: number;
  maxBodyBytes: number;
  fetch: typeof fetch | undefined;
  now: () => number;
  logger: ((event: PaymoAuthLogEvent) => void) | undefined;
  /** Whether a credential that could not be checked is answered with its error (true) or served as anonymous. */
  failClosed: boolean;
}

// Plain literals: a bundler drops an unused constant only when its value is one.
const MINUTE = 60_000;
const DAY = 86_400_000;
// RFC 6265 cookie-name token characters.
const cookieNameToken = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,64}$/;
const basePathPattern = /^(\/[A-Za-z0-9._~-]+)+$/;

function configError(message: string): PaymoAuthError {
  return new PaymoAuthError('CONFIG_ERROR', `createPaymoAuth: ${message}`);
}

function environmentBaseUrl(): string | undefined {
  // The core also loads in browsers: only touch `process` where it exists.
  const processLike = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const value = processLike?.env?.PAYMO_API_URL;
  return value === undefined || value === '' ? undefined : value;
}

function positiveMs(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw configError(`${name} must be a finite number of milliseconds > 0, got ${String(value)}.`);
  }
  return value;
}

function positiveInteger(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw configError(`${name} must be an integer >= 1, got ${String(value)}.`);
  }
  return value;
}

function optionalBoolean(value: unknown, name: string): boolean {
  if (value === undefined) return true;
  if (typeof value !== 'boolean') throw configError(`${name} must be a boolean.`);
  return value;
}

function optionalFunction<T>(value: T | undefined, name: string): T | undefined {
  if (value !== undefined && typeof value !== 'function') throw configError(`${name} must be a function.`);
  return value;
}

function objectOption<T extends object>(value: T | undefined, name: string): Partial<T> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw configError(`${name} must be an object.`);
  }
  return value;
}

/** The Paymo base URL: the given one, else `PAYMO_API_URL` when set and not empty, else the real Paymo. */
export function resolveBaseUrl(value: unknown): string {
  const raw = value ?? environmentBaseUrl() ?? DEFAULT_PAYMO_BASE_URL;
  if (typeof raw !== 'string') throw configError('baseUrl must be a string.');
  try {
    return normalizeBaseUrl(raw);
  } catch (error) {
    throw configError(`baseUrl: ${error instanceof Error ? error.message : 'invalid'}`);
  }
}

function resolveStore(value: unknown): SessionStore | undefined {
  if (value === undefined) return undefined;
  const methods = ['get', 'set', 'delete', 'listIndex', 'deleteIndex', 'increment', 'acquireLock', 'releaseLock'] as const;
  if (typeof value !== 'object' || value === null) throw configError('store must be a SessionStore object.');
  for (const method of methods) {
    if (typeof (value as Record<string, unknown>)[method] !== 'function') {
      throw configError(`store must implement SessionStore: ${method}() is missing.`);
    }
  }
  return value as SessionStore;
}

function resolveTrustedOrigins(value: unknown): ReadonlySet<string> {
  if (value === undefined) return new Set();
  if (!Array.isArray(value)) throw configError('trustedOrigins must be an array of origins.');
  const origins = new Set<string>();
  for (const entry of value) {
    let origin: string | undefined;
    try {
      origin = typeof entry === 'string' ? new URL(entry).origin : undefined;
    } catch {
      origin = undefined;
    }
    if (origin === undefined || origin === 'null' || origin !== entry.replace(/\/$/, '')) {
      throw configError(`trustedOrigins entries must be origins like "https://app.example.com", got ${JSON.stringify(entry)}.`);
    }
    origins.add(origin);
  }
  return origins;
}

function resolveSecret(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length < 32) {
    throw configError('secret must be a string of at least 32 characters (for example 32 random bytes as hex).');
  }
  return value;
}

/**
 * Applies the defaults of {@link PaymoAuthOptions} and checks every value, so that a mistake fails at
 * start-up with a CONFIG_ERROR naming the option, not at the first request.
 */
export function resolveOptions(options: PaymoAuthOptions = {}): ResolvedPaymoAuthOptions {
  if (typeof options !== 'object' || options === null) throw configError('options must be an object.');
  const strategies = objectOption(options.strategies, 'strategies');
  const session = objectOption(options.session, 'session');
  const cookie = objectOption(options.cookie, 'cookie');
  const rateLimit = objectOption(options.signInRateLimit, 'signInRateLimit');

  const basePath = options.basePath ?? '/auth';
  if (typeof basePath !== 'string' || !basePathPattern.test(basePath)) {
    throw configError(`basePath must look like "/auth" (a leading slash, no trailing slash), got ${JSON.stringify(basePath)}.`);
  }

  const cookieName = cookie.name ?? 'paymo.sid';
  if (typeof cookieName !== 'string' || !cookieNameToken.test(cookieName) || /^__(host|secure)-/i.test(cookieName)) {
    throw configError('cookie.name must be a cookie-name token (without a __Host-/__Secure- prefix: it is added over HTTPS).');
  }
  const sameSite = cookie.sameSite ?? 'lax';
  if (sameSite !== 'lax' && sameSite !== 'strict') throw configError('cookie.sameSite must be "lax" or "strict".');

  const resolvedStrategies = {
    cookie: optionalBoolean(strategies.cookie, 'strategies.cookie'),
    sessionHeader: optionalBoolean(strategies.sessionHeader, 'strategies.sessionHeader'),
    basic: optionalBoolean(strategies.basic, 'strategies.basic'),
  };
  if (!resolvedStrategies.cookie && !resolvedStrategies.sessionHeader && !resolvedStrategies.basic) {
    throw configError('strategies: at least one of cookie, sessionHeader and basic must stay enabled.');
  }

  const passThroughCacheMs = positiveMs(options.passThroughCacheMs, 'passThroughCacheMs', 30_000);
  const now = optionalFunction(options.now, 'now') ?? Date.now;

  return {
    baseUrl: resolveBaseUrl(options.baseUrl),
    basePath,
    store: resolveStore(options.store),
    strategies: resolvedStrategies,
    session: {
      maxAgeMs: positiveMs(session.maxAgeMs, 'session.maxAgeMs', 7 * DAY),
      idleTimeoutMs: positiveMs(session.idleTimeoutMs, 'session.idleTimeoutMs', DAY),
      // "Last seen" must be written well within the idle timeout, or active users would time out.
      touchIntervalMs: Math.min(
        positiveMs(session.touchIntervalMs, 'session.touchIntervalMs', MINUTE),
        Math.floor(positiveMs(session.idleTimeoutMs, 'session.idleTimeoutMs', DAY) / 2),
      ),
      revalidateAfterMs: positiveMs(session.revalidateAfterMs, 'session.revalidateAfterMs', MINUTE),
      revalidateGraceMs:
        session.revalidateGraceMs === 0 ? 0 : positiveMs(session.revalidateGraceMs, 'session.revalidateGraceMs', 5 * MINUTE),
      maxPerUser: positiveInteger(session.maxPerUser, 'session.maxPerUser', 10),
    },
    passThroughCacheMs,
    passThroughMaxPerUser: positiveInteger(options.passThroughMaxPerUser, 'passThroughMaxPerUser', 20),
    secret: resolveSecret(options.secret),
    proxy: compileProxyAllowList(options.proxy),
    passThroughFailureCacheMs: Math.min(passThroughCacheMs, 5_000),
    cookie: { name: cookieName, sameSite: sameSite === 'strict' ? 'Strict' : 'Lax' },
    trustedOrigins: resolveTrustedOrigins(options.trustedOrigins),
    signInRateLimit: {
      perIp: positiveInteger(rateLimit.perIp, 'signInRateLimit.perIp', 20),
      perAccount: positiveInteger(rateLimit.perAccount, 'signInRateLimit.perAccount', 5),
      windowMs: positiveMs(rateLimit.windowMs, 'signInRateLimit.windowMs', 15 * MINUTE),
    },
    timeoutMs: positiveMs(options.timeoutMs, 'timeoutMs', 10_000),
    maxBodyBytes: positiveInteger(options.maxBodyBytes, 'maxBodyBytes', 8 * 1024),
    fetch: optionalFunction(options.fetch, 'fetch'),
    now,
    logger: optionalFunction(options.logger, 'logger'),
    failClosed: resolveOnUnavailable(options.onUnavailable),
  };
}

function resolveOnUnavailable(value: unknown): boolean {
  if (value === undefined || value === 'respond') return true;
  if (value === 'anonymous') return false;
  throw configError(`onUnavailable must be "respond" or "anonymous", got ${JSON.stringify(value)}.`);
}
