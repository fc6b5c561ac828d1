import type { IncomingMessage } from 'node:http';
import type { PaymoAuthState, PaymoRequestContext } from '@paymo/auth-core';

/**
 * The request as Nest hands it over: Express's `Request` (an `IncomingMessage`), or Fastify's request
 * wrapper (which keeps the `IncomingMessage` in `raw`). Only the fields read here are typed.
 */
export interface PlatformRequest {
  raw?: IncomingMessage;
  ip?: string;
  secure?: boolean;
  protocol?: string;
  /** The auth state, under the same name `@paymo/auth-express` uses. */
  paymo?: PaymoAuthState;
}

/** The Node request behind either platform's request object. */
export function nodeRequestOf(request: PlatformRequest): IncomingMessage {
  return request.raw ?? (request as unknown as IncomingMessage);
}

/**
 * What only the framework knows: the client IP and HTTPS, honouring the app's proxy trust (Express's
 * `req.ip`/`req.secure`, Fastify's `request.ip`/`request.protocol`). Where the framework says nothing
 * (a raw request under Fastify's middleware), the socket's own address and TLS are used.
 */
export function requestContextOf(request: PlatformRequest): PaymoRequestContext {
  const context: PaymoRequestContext = {};
  // Read on demand: Express computes req.ip through its proxy-trust rules, and a cookie check never needs it.
  Object.defineProperty(context, 'clientIp', {
    enumerable: true,
    get: () => request.ip ?? nodeRequestOf(request).socket?.remoteAddress,
  });
  if (typeof request.secure === 'boolean') context.secure = request.secure;
  else if (request.protocol) context.secure = request.protocol === 'https';
  return context;
}
