import { PaymoAuthError, isPaymoAuthError } from '../errors.js';
import type { PaymoRateLimit } from '../client/types.js';
import { resolveAuth } from './authenticate.js';
import { checkJsonContentType, checkOrigin } from './csrf.js';
import type { Engine } from './engineContext.js';
import { errorResponse, jsonResponse } from './errorResponse.js';
import { readJsonBody } from './jsonBody.js';
import { isProxyAllowed, plainSegment, type PaymoProxyMethod } from './proxyAllowList.js';
import type { PaymoRequestContext } from './types.js';

// `ANY {basePath}/paymo/<path>` forwards to Paymo `/api/<path>` as the signed-in user, through the
// user's own (quota-aware) client: the browser reaches Paymo data without ever holding a token. Only
// what the app allows is forwarded; the path is checked segment by segment (no encodings, dots or empty
// segments, so nothing can climb out of /api or name another host), the query is rebuilt from the
// parameters Paymo documents, and only the JSON body and our own headers go back.

/** Query parameters forwarded to Paymo (documented filters, relations and paging). */
const forwardedQuery: ReadonlySet<string> = new Set(['where', 'include', 'partial_include', 'page', 'page_size']);
const MAX_QUERY_VALUE = 2_048;

function forbidden(message: string): PaymoAuthError {
  return new PaymoAuthError('PROXY_FORBIDDEN', message);
}

/** The proxied path's segments, or a typed refusal for anything but plain segments. */
function proxiedSegments(rawPath: string): string[] {
  const segments = rawPath.split('/');
  if (rawPath === '' || !segments.every((segment) => plainSegment.test(segment))) {
    throw forbidden('This Paymo path is not allowed here.');
  }
  return segments;
}

function forwardedSearch(search: URLSearchParams): string {
  const out = new URLSearchParams();
  for (const [name, value] of search) {
    if (!forwardedQuery.has(name)) {
      throw new PaymoAuthError('BAD_REQUEST', 'A query parameter is not forwarded to Paymo (use where, include, partial_include, page, page_size).');
    }
    if (out.has(name)) throw new PaymoAuthError('BAD_REQUEST', `Query parameter ${name} is given twice.`);
    if (value.length > MAX_QUERY_VALUE || /[\u0000-\u001f\u007f]/.test(value)) {
      throw new PaymoAuthError('BAD_REQUEST', `Query parameter ${name} is too long or holds control characters.`);
    }
    if ((name === 'page' || name === 'page_size') && !/^[0-9]{1,6}$/.test(value)) {
      throw new PaymoAuthError('BAD_REQUEST', `Query parameter ${name} must be a whole number.`);
    }
    out.set(name, value);
  }
  const text = out.toString();
  return text === '' ? '' : `?${text}`;
}

/** Paymo's rate-limit headers, as ours (the IETF RateLimit fields): the browser can pace itself. */
function rateLimitHeaders(rateLimit: PaymoRateLimit): Record<string, string> {
  const headers: Record<string, string> = {};
  if (rateLimit.limit !== undefined) headers['ratelimit-limit'] = String(rateLimit.limit);
  if (rateLimit.remaining !== undefined) headers['ratelimit-remaining'] = String(rateLimit.remaining);
  if (rateLimit.decayPeriodSeconds !== undefined) headers['ratelimit-reset'] = String(rateLimit.decayPeriodSeconds);
  return headers;
}

/** Paymo's own 4xx (a validation error, a 403, a 404) keeps its status; its message is already redacted. */
function answerUpstreamFailure(error: unknown): Response {
  if (isPaymoAuthError(error) && error.code === 'UPSTREAM_ERROR' && error.upstreamStatus !== undefined && error.upstreamStatus >= 400 && error.upstreamStatus < 500) {
    return errorResponse(new PaymoAuthError('UPSTREAM_ERROR', error.message, { status: error.upstreamStatus }));
  }
  return errorResponse(error);
}

/**
 * Serves one proxied request. `rawPath` is the part after `{basePath}/paymo/`, as sent (undecoded).
 * Never rejects.
 */
export async function proxyRequest(
  engine: Engine,
  request: Request,
  url: URL,
  rawPath: string,
  context: PaymoRequestContext | undefined,
): Promise<Response> {
  const method = request.method as PaymoProxyMethod;
  try {
    const segments = proxiedSegments(rawPath);
    if (!isProxyAllowed(engine.options.proxy, method, segments)) {
      throw forbidden(`${method} ${segments.join('/').slice(0, 100)} is not on this app's Paymo proxy allow-list.`);
    }
    const search = forwardedSearch(url.searchParams);
    let body: unknown;
    if (method !== 'GET') {
      checkOrigin(request.headers, url.origin, engine.options.trustedOrigins);
      if (method !== 'DELETE') {
        checkJsonContentType(request.headers);
        body = await readJsonBody(request, engine.options.maxBodyBytes, context?.parsedBody);
      }
    }

    const auth = await resolveAuth(engine, request, context);
    if (!auth.state.authenticated) return errorResponse(auth.state.error, { setCookies: auth.state.setCookies });

    try {
      const { data, meta } = await auth.state.client.requestWithMeta(method, `/${segments.join('/')}${search}`, body);
      // 204/205 carry no body (a Response with one would throw); anything else answers Paymo's JSON.
      if (meta.status === 204 || meta.status === 205) {
        return new Response(null, { status: meta.status, headers: { 'cache-control': 'no-store', ...rateLimitHeaders(meta.rateLimit) } });
      }
      return jsonResponse(meta.status >= 200 && meta.status < 300 ? meta.status : 200, data ?? {}, [], rateLimitHeaders(meta.rateLimit));
    } catch (error) {
      return answerUpstreamFailure(error);
    }
  } catch (error) {
    if (!isPaymoAuthError(error)) engine.log({ level: 'error', message: 'Unexpected error in the Paymo proxy', code: 'UPSTREAM_ERROR' });
    return errorResponse(error);
  }
}
