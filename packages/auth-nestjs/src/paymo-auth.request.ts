import type { IncomingMessage } from 'node:http';
import type { PaymoAuthState, PaymoRequestContext } from '@paymo/auth-core';
import { nodeRequestContext } from '@paymo/auth-core/node';

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
 * (a raw request under Fastify's middleware), the core falls back to the socket's address and TLS.
 */
export function requestContextOf(request: PlatformRequest): PaymoRequestContext {
  const secure = typeof request.secure === 'boolean' ? request.secure : request.protocol ? request.protocol === 'https' : undefined;
  // Read on demand: Express computes req.ip through its proxy-trust rules, and a cookie check never needs it.
  return nodeRequestContext(nodeRequestOf(request), { ...(secure === undefined ? {} : { secure }), clientIp: () => request.ip });
}
