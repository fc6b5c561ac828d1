import type { PaymoRequestContext } from '../engine/types.js';
import { isEncrypted, type NodeRequest } from './nodeRequestLike.js';

/** What the framework knows about a request (proxy trust applied); anything left out comes from the socket. */
export interface FrameworkRequestFacts {
  /** Whether the original request was HTTPS (Express's `req.secure`). Default: the socket's TLS. */
  secure?: boolean;
  /**
   * The client IP (Express's `req.ip`), read only when the engine asks for it: sign-in and pass-through
   * limits need it, a cookie check does not. Default, or when it returns undefined: the socket's address.
   */
  clientIp?: () => string | undefined;
}

/**
 * The {@link PaymoRequestContext} of a Node request: HTTPS and client IP as the framework sees them,
 * falling back to the socket (right only when no proxy sits in front). The IP is computed lazily.
 *
 * @example
 * ```ts
 * // Express: the framework's proxy-aware answers
 * const context = nodeRequestContext(req, { secure: req.secure, clientIp: () => req.ip });
 * // plain node:http: the socket's
 * const state = await auth.authenticate(nodeRequestLike(req), nodeRequestContext(req));
 * ```
 */
export function nodeRequestContext(req: NodeRequest, framework: FrameworkRequestFacts = {}): PaymoRequestContext {
  const { clientIp } = framework;
  return {
    secure: framework.secure ?? isEncrypted(req),
    get clientIp() {
      return clientIp?.() ?? req.socket?.remoteAddress;
    },
  };
}
