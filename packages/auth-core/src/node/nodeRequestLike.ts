import type { IncomingMessage } from 'node:http';
import type { PaymoAuthRequestLike } from '../engine/types.js';

/** The Node request fields read here (Express and Nest add `originalUrl` when mounted). */
export type NodeRequest = IncomingMessage & { originalUrl?: string };

/** `https` when the socket is TLS. Behind a proxy, pass the framework's own answer instead. */
export function isEncrypted(req: IncomingMessage): boolean {
  return (req.socket as { encrypted?: boolean } | null)?.encrypted === true;
}

/** The request's absolute URL from its Host header and scheme (the origin CSRF checks compare against). */
export function requestUrl(req: NodeRequest, secure: boolean = isEncrypted(req)): string {
  const host = req.headers.host ?? 'localhost';
  return `${secure ? 'https' : 'http'}://${host}${req.originalUrl ?? req.url ?? '/'}`;
}

/**
 * A zero-copy {@link PaymoAuthRequestLike} over a Node request, for `auth.authenticate()`: no `Request`
 * is built and no header is copied. `headers.get(name)` returns the header, arrays joined with ", ".
 *
 * @example
 * ```ts
 * const state = await auth.authenticate(nodeRequestLike(req), { clientIp: req.socket.remoteAddress });
 * ```
 */
export function nodeRequestLike(req: NodeRequest): PaymoAuthRequestLike {
  return {
    method: req.method ?? 'GET',
    get url() {
      return requestUrl(req);
    },
    headers: {
      get(name: string): string | null {
        const value = req.headers[name.toLowerCase()];
        if (value === undefined) return null;
        return Array.isArray(value) ? value.join(', ') : value;
      },
    },
  };
}
