import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { acceptsJson } from './accept.js';
import { authenticate, type AuthOutcome, type AuthSettings } from './auth.js';
import type { FakeClock } from './clock.js';
import { fakeError, type FakeError } from './errors.js';
import type { FaultInjector } from './faults.js';
import { readBody, writeReply } from './http.js';
import type { RateLimitHeaderCase, RateLimitScope, ResolvedOptions } from './options.js';
import type { RateLimiter, RateLimitVerdict } from './rateLimiter.js';
import type { RequestLogEntry } from './requestLog.js';
import { findRoute, type HandlerResult, type Route } from './router.js';
import type { FakePaymoState } from './state.js';
import type { ResourceEvent } from './webhooks.js';

/** @internal What the request pipeline needs from the fake. */
export interface PipelineDeps {
  options: ResolvedOptions;
  clock: FakeClock;
  faults: FaultInjector;
  limiter: RateLimiter;
  routes: readonly Route[];
  state: () => FakePaymoState;
  origin: () => string;
  record: (entry: RequestLogEntry) => void;
  /** Webhook notifications for a change. */
  emit: (event: ResourceEvent) => void;
  /** The HTTP test-control API (outside `/api`), when enabled; true when it answered. */
  control?: (request: IncomingMessage, response: ServerResponse, path: string, query: string) => Promise<boolean>;
  /** Resolves after `ms`, or never when the fake closes first. */
  sleep: (ms: number) => Promise<void>;
}

function rateLimitHeaders(verdict: RateLimitVerdict, headerCase: RateLimitHeaderCase): Record<string, string> {
  const headers: Record<string, string> = {
    'X-Ratelimit-Decay-Period': String(verdict.decayPeriodSeconds),
    'X-Ratelimit-Limit': String(verdict.limit),
    'X-Ratelimit-Remaining': String(verdict.remaining),
  };
  if (verdict.retryAfterSeconds !== undefined) headers['Retry-After'] = String(verdict.retryAfterSeconds);
  if (headerCase === 'docs') return headers;
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

/** The rate-limit window a request counts against (`undefined`: scope `'off'`). */
function rateLimitKey(scope: RateLimitScope, request: IncomingMessage, auth: AuthOutcome, ip: string): string | undefined {
  if (scope === 'off') return undefined;
  if (scope === 'ip' || !auth.ok) return `ip:${ip}`;
  if (scope === 'user') return `user:${auth.user.id}`;
  const header = auth.scheme === 'session' ? request.headers['x-session'] : request.headers.authorization;
  return `credential:${auth.scheme}:${String(header)}`;
}

/** Puts who the request was judged to be into its log entry (a refused known user keeps the id). */
function noteWho(entry: RequestLogEntry, outcome: AuthOutcome): void {
  entry.auth = outcome.scheme;
  const userId = outcome.ok ? outcome.user.id : outcome.userId;
  if (userId !== undefined) entry.userId = userId;
}

function clientIp(request: IncomingMessage): string {
  const address = request.socket.remoteAddress ?? '';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

/**
 * @internal The order every request goes through: faults, body limit, Accept, then for `/api/*`:
 * credentials, rate limit (429 wins over 401), then the route (404 / 405).
 */
export function createRequestHandler(deps: PipelineDeps): (request: IncomingMessage, response: ServerResponse) => void {
  const { options, clock } = deps;
  const authSettings: AuthSettings = {
    sessionHeaderWins: options.sessionHeaderWins,
    emailCaseSensitive: options.emailCaseSensitive,
    maxCredentialHeaderBytes: options.maxCredentialHeaderBytes,
    slidingExpiry: options.slidingExpiry,
    sessionLifetimeMs: options.sessionLifetimeMs,
  };

  const sendError = (response: ServerResponse, entry: RequestLogEntry, error: FakeError, headers: Record<string, string> = {}): void => {
    const override = options.errorResponse?.(error);
    const status = override?.status ?? error.status;
    entry.reason = error.reason;
    finish(entry, status);
    writeReply(response, status, override?.body ?? { message: error.message }, { ...headers, ...override?.headers }, options.contentType, clock.now());
  };

  const finish = (entry: RequestLogEntry, status: number): void => {
    entry.status = status;
    deps.record(entry);
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const rawUrl = request.url ?? '/';
    const queryStart = rawUrl.indexOf('?');
    const path = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart);
    const query = queryStart === -1 ? '' : rawUrl.slice(queryStart + 1);
    const method = (request.method ?? 'GET').toUpperCase();
    const entry: RequestLogEntry = { method, path, query, status: 0, auth: 'none', at: clock.now() };
    if (!path.startsWith('/')) {
      sendError(response, entry, fakeError(400, 'bad_request', 'Bad request target').error, { Connection: 'close' });
      return;
    }

    // The control API answers before faults, auth and the rate limiter: a test can always reach it.
    if (deps.control && (await deps.control(request, response, path, query))) return;

    const fault = deps.faults.take(method, path);
    if (fault) {
      // Judged without side effects (no sliding expiry), only so the log says who it was.
      noteWho(entry, authenticate(request.headers, request.rawHeaders, deps.state(), { ...authSettings, slidingExpiry: false }, clock.now()));
      entry.fault = 'latency';
      if (fault.latencyMs) await deps.sleep(fault.latencyMs);
      if (response.destroyed) return;
      if (fault.drop) {
        entry.fault = 'drop';
        finish(entry, 0);
        request.socket.destroy();
        return;
      }
      if (fault.status !== undefined) {
        entry.fault = 'status';
        const headers: Record<string, string> = fault.retryAfter === undefined ? {} : { 'Retry-After': String(fault.retryAfter) };
        const message = fault.message ?? STATUS_CODES[fault.status] ?? 'Injected fault';
        sendError(response, entry, { status: fault.status, reason: 'fault', message }, headers);
        return;
      }
    }

    const body = await readBody(request, options.maxBodyBytes);
    if (!body.ok) {
      if (body.problem === 'too_large') {
        sendError(response, entry, fakeError(413, 'payload_too_large', `Request body is larger than ${options.maxBodyBytes} bytes`).error, {
          Connection: 'close',
        });
      }
      return;
    }

    if (options.unsupportedAccept === 'reject' && !acceptsJson(request.headers.accept)) {
      sendError(response, entry, fakeError(406, 'not_acceptable', 'Only JSON responses are available (Accept: application/json)').error);
      return;
    }
    if (path !== '/api' && !path.startsWith('/api/')) {
      sendError(response, entry, fakeError(404, 'not_found', 'Not found').error);
      return;
    }

    const state = deps.state();
    const now = clock.now();
    const auth = authenticate(request.headers, request.rawHeaders, state, authSettings, now);
    noteWho(entry, auth);

    const ip = clientIp(request);
    const settings = deps.limiter.settings;
    const verdict = deps.limiter.hit(rateLimitKey(settings.scope, request, auth, ip), auth.ok ? auth.user.id : undefined);
    const limitHeaders = rateLimitHeaders(verdict, settings.headerCase);
    if (verdict.limited) {
      const retryAfter = settings.headerCase === 'docs' ? 'Retry-After' : 'retry-after';
      const headers = options.rateLimitHeaders === 'all' ? limitHeaders : { [retryAfter]: limitHeaders[retryAfter] ?? '1' };
      sendError(response, entry, fakeError(429, 'rate_limited', 'Too Many Requests').error, headers);
      return;
    }
    const errorHeaders = options.rateLimitHeaders === 'all' ? limitHeaders : {};
    if (!auth.ok) {
      sendError(response, entry, auth.error, errorHeaders);
      return;
    }

    const found = findRoute(deps.routes, method, path);
    if (!found) {
      sendError(response, entry, fakeError(404, 'not_found', 'Not found').error, errorHeaders);
      return;
    }
    if ('allowed' in found) {
      const status = options.unsupportedMethodStatus;
      const headers = status === 405 ? { ...errorHeaders, Allow: found.allowed.join(', ') } : errorHeaders;
      const reason = status === 405 ? 'method_not_allowed' : 'not_found';
      sendError(response, entry, fakeError(status, reason, status === 405 ? `Method ${method} not allowed here` : 'Not found').error, headers);
      return;
    }

    let result: HandlerResult;
    try {
      result = await found.route.handle({
        method,
        path,
        params: found.params,
        query: new URLSearchParams(query),
        auth,
        state,
        options,
        now,
        ip,
        origin: deps.origin(),
        body: body.body,
        contentType: request.headers['content-type'],
        emit: deps.emit,
      });
    } catch {
      result = fakeError(500, 'fault', 'A custom route handler threw');
    }
    if ('error' in result) {
      sendError(response, entry, result.error, errorHeaders);
      return;
    }
    finish(entry, result.status);
    const replyHeaders = options.rateLimitHeaders === 'all' || (result.status >= 200 && result.status < 300) ? limitHeaders : {};
    writeReply(response, result.status, result.body, { ...replyHeaders, ...result.headers }, options.contentType, clock.now());
  }

  return (request, response) => {
    handle(request, response).catch(() => {
      // Nothing a client sends should get here; if it does, answer instead of crashing the test run.
      if (!response.headersSent && !response.destroyed) {
        writeReply(response, 500, { message: 'Internal error in the fake Paymo API' }, {}, options.contentType, clock.now());
      }
    });
  };
}
