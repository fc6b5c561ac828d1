import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PaymoAuthError } from '../errors.js';
import type { PaymoAuth, PaymoAuthState, PaymoAuthenticatedState, PaymoRequestContext } from '../engine/types.js';
import { bodyParserFailure } from './bodyParserFailure.js';
import { isUnservedMethod, methodNotAllowedResponse } from './methodNotAllowed.js';
import { isEncrypted, nodeRequestLike, type NodeRequest } from './nodeRequestLike.js';
import { appendSetCookies, sendWebResponse } from './sendWebResponse.js';
import { toWebRequest } from './toWebRequest.js';
import { userTypeError } from './userTypeError.js';

/**
 * What only the framework knows about its requests, read per request and only when needed: each is a
 * function of the request, given once, so the hot path allocates no closures.
 */
export interface FrameworkRequestFacts<Req extends NodeRequest = NodeRequest> {
  /** Whether the original request was HTTPS, honouring proxy trust (Express: `req.secure`). Default: the socket's TLS. */
  secure?: (req: Req) => boolean | undefined;
  /**
   * The client IP, honouring proxy trust (Express: `req.ip`), read only when the engine needs it (sign-in
   * and pass-through limits; a cookie check does not). Default, or when it returns undefined: the socket's.
   */
  clientIp?: (req: Req) => string | undefined;
  /** A body the framework's parser already read (`req.body`), for the auth routes. */
  parsedBody?: (req: Req) => unknown;
}

/** The one Node entry the server adapters (and plain `node:http` servers) are built on. */
export interface PaymoNodeHandler<Req extends NodeRequest = NodeRequest> {
  readonly auth: PaymoAuth;
  /**
   * The middleware step: answers an auth route (`{basePath}/...`) and resolves `null`; authenticates
   * any other request and resolves its state, with any cookie it carries (a cleared session cookie)
   * set on `res`; or answers the request itself and resolves `null` when the engine's `onUnavailable`
   * policy refuses the state (a credential that could not be checked). Never rejects for bad input.
   */
  handle(req: Req, res: ServerResponse): Promise<PaymoAuthState | null>;
  /** Answers an auth route and resolves true; resolves false (nothing written) for any other path. */
  serve(req: Req, res: ServerResponse): Promise<boolean>;
  /** True when the request's path is under `basePath` (cheap: adapters skip `serve` for the app's own routes). */
  owns(req: Req): boolean;
  /** The request's auth state (no route served, nothing written). Never rejects. */
  authenticate(req: Req): Promise<PaymoAuthState>;
  /**
   * The signed-in state of a request that is not for an auth route, when the engine knows it without
   * I/O (`auth.authenticateNow`: a cookie session in an in-process store, nothing due); undefined
   * otherwise: call `handle` (or `authenticate`). Adapters try it first, to skip every promise.
   */
  authenticatedNow(req: Req): PaymoAuthenticatedState | undefined;
  /** Answers `error` with the engine's typed JSON error (status, `{error:{code,message}}`, `Retry-After`, ...). */
  respond(req: Req, res: ServerResponse, error: unknown, setCookies?: readonly string[]): Promise<void>;
  /** That answer as a Web `Response`, for a framework that writes responses its own way (Fastify). */
  errorResponse(req: Req, error: unknown): Response;
  /**
   * A body parser's error (malformed, oversized or unreadable body) on an auth route, answered as the
   * engine answers a body it read itself: typed JSON 400/413/415, nothing logged. Resolves `false`
   * (nothing written) for any other error or path: pass it on.
   */
  answerBodyParserError(error: unknown, req: Req, res: ServerResponse): Promise<boolean>;
  /** The 403 FORBIDDEN for a user whose Paymo type a route does not allow (undefined: allowed). */
  userTypeRefusal(user: { type: string }, allowed: readonly string[] | undefined): PaymoAuthError | undefined;
}

/**
 * Builds the Node entry of an engine: the auth routes, authentication with the engine's fail-closed
 * policy, and typed error answers, on `IncomingMessage` / `ServerResponse`. Express and Nest translate
 * their requests to it and nothing more.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createPaymoAuth } from '@paymo/auth-core';
 * import { createPaymoNodeHandler } from '@paymo/auth-core/node';
 *
 * const paymo = createPaymoNodeHandler(createPaymoAuth());
 * createServer(async (req, res) => {
 *   const state = await paymo.handle(req, res); // POST /auth/sign-in, GET /auth/session, ...
 *   if (state === null) return; // answered
 *   if (!state.authenticated) return paymo.respond(req, res, state.error);
 *   res.end(`Hello ${state.user.name}`);
 * }).listen(3000);
 * ```
 */
export function createPaymoNodeHandler<Req extends NodeRequest = NodeRequest>(
  auth: PaymoAuth,
  facts: FrameworkRequestFacts<Req> = {},
): PaymoNodeHandler<Req> {
  const secureOf = (req: Req): boolean => facts.secure?.(req) ?? isEncrypted(req);

  /** The engine's view of the request's context: HTTPS now, the client IP only when read. */
  const contextOf = (req: Req, parsedBody?: unknown): PaymoRequestContext => {
    const context: PaymoRequestContext = {
      secure: secureOf(req),
      get clientIp() {
        return facts.clientIp?.(req) ?? req.socket?.remoteAddress;
      },
    };
    if (parsedBody !== undefined) context.parsedBody = parsedBody;
    return context;
  };

  // The request lets the engine offer the Basic challenge to API clients only, not to browsers.
  const errorResponse = (req: Req, error: unknown): Response => auth.errorResponse(error, nodeRequestLike(req));

  const respond = (req: Req, res: ServerResponse, error: unknown, setCookies: readonly string[] = []): Promise<void> => {
    appendSetCookies(res, setCookies);
    return sendWebResponse(res, errorResponse(req, error));
  };

  /**
   * Serves an auth route; false when the router says the path is not one (the caller carries on). The
   * body is read once: from the stream, or what the framework's parser made of it (`parsedBody`).
   */
  const serveRoute = async (req: Req, res: ServerResponse, pathname: string, parsedBody = facts.parsedBody?.(req)): Promise<boolean> => {
    let response: Response | null;
    if (isUnservedMethod(req.method ?? 'GET')) {
      response = methodNotAllowedResponse(auth, pathname, nodeRequestLike(req));
    } else {
      try {
        const context = contextOf(req, parsedBody);
        response = await auth.handle(await toWebRequest(req, { maxBodyBytes: auth.maxBodyBytes, secure: context.secure === true }), context);
      } catch (error) {
        response = errorResponse(req, error);
      }
    }
    if (response === null) return false;
    await sendWebResponse(res, response);
    return true;
  };

  const authenticateAndDecide = async (req: Req, res: ServerResponse): Promise<PaymoAuthState | null> => {
    const state = await auth.authenticate(nodeRequestLike(req), contextOf(req));
    if (state.authenticated) return state;
    appendSetCookies(res, state.setCookies);
    const refusal = auth.refusal(state);
    if (refusal === undefined) return state;
    await sendWebResponse(res, errorResponse(req, refusal));
    return null;
  };

  return {
    auth,
    async handle(req, res) {
      const pathname = pathnameOf(req);
      // One path check: the app's own routes go straight to authentication.
      if (auth.ownsPath(pathname) && (await serveRoute(req, res, pathname))) return null;
      return authenticateAndDecide(req, res);
    },
    owns: (req) => auth.ownsPath(pathnameOf(req)),
    serve(req, res) {
      const pathname = pathnameOf(req);
      return auth.ownsPath(pathname) ? serveRoute(req, res, pathname) : Promise.resolve(false);
    },
    authenticate: (req) => auth.authenticate(nodeRequestLike(req), contextOf(req)),
    authenticatedNow: (req) =>
      // A cookie check needs only HTTPS (the cookie's name), never the client IP.
      auth.ownsPath(pathnameOf(req)) ? undefined : auth.authenticateNow(nodeRequestLike(req), { secure: secureOf(req) }),
    respond,
    errorResponse,
    async answerBodyParserError(error, req, res) {
      if (res.headersSent) return false;
      const pathname = pathnameOf(req);
      if (!auth.ownsPath(pathname)) return false;
      const failure = bodyParserFailure(error, auth.maxBodyBytes);
      if (failure === undefined) return false;
      // Malformed JSON: the engine parses the parser's raw text itself, with the route's every check.
      if (typeof failure === 'string') return serveRoute(req, res, pathname, failure);
      await respond(req, res, failure);
      return true;
    },
    userTypeRefusal: userTypeError,
  };
}

/** The request's full path (`originalUrl` when a framework mounted the handler) without the query. */
function pathnameOf(req: IncomingMessage & { originalUrl?: string }): string {
  const url = req.originalUrl ?? req.url ?? '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
