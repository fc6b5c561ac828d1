import type { IncomingMessage } from 'node:http';
import type { PaymoAuthState } from '@paymo/auth-core';
import type { FrameworkRequestFacts } from '@paymo/auth-core/node';

/**
 * The request as Nest hands it over: Express's `Request` (an `IncomingMessage`), or Fastify's request
 * wrapper (which keeps the `IncomingMessage` in `raw`, and has its own `headers`, `method`, `url` and
 * `socket`). Only the fields read here are typed.
 */
export interface PlatformRequest {
  raw?: IncomingMessage;
  ip?: string;
  secure?: boolean;
  protocol?: string;
  body?: unknown;
  /** The auth state, under the same name `@paymo/auth-express` uses. */
  paymo?: PaymoAuthState;
}

/** What the core's Node entry reads of a Nest request: the Node request fields, and the platform's own. */
export type NestRequest = IncomingMessage & PlatformRequest & { originalUrl?: string };

/** The Node request behind either platform's request object (Fastify keeps it in `raw`). */
export function nodeRequestOf(request: PlatformRequest): IncomingMessage {
  return request.raw ?? (request as unknown as IncomingMessage);
}

/** The request to hand to the core: Express's request is a Node request; so is Fastify's, field by field. */
export function nestRequestOf(request: PlatformRequest): NestRequest {
  return request as NestRequest;
}

/**
 * What only the framework knows: the client IP and HTTPS, honouring the app's proxy trust (Express's
 * `req.ip`/`req.secure`, Fastify's `request.ip`/`request.protocol`), and the body Nest's parser read.
 * Where the framework says nothing (a raw request under Fastify's middleware), the core falls back to
 * the socket's address and TLS.
 */
export const nestRequestFacts: FrameworkRequestFacts<NestRequest> = {
  secure: (req) => (typeof req.secure === 'boolean' ? req.secure : req.protocol ? req.protocol === 'https' : undefined),
  clientIp: (req) => req.ip,
  parsedBody: (req) => req.body,
};
