import type { IncomingMessage } from 'node:http';
import type { PaymoAuthRequestLike } from '../engine/types.js';

/** The Node request fields read here (Express and Nest add `originalUrl` when mounted). */
export type NodeRequest = IncomingMessage & { originalUrl?: string };

/** `https` when the socket is TLS. Behind a proxy, pass the framework's own answer instead. */
export function isEncrypted(req: IncomingMessage): boolean {
  return (req.socket as { encrypted?: boolean } | null)?.encrypted === true;
}

// RFC 9110 7.2 / RFC 3986 3.2.2: a reg-name or an IP literal, then an optional port. Nothing else
// (no userinfo, path, query, fragment, space or backslash) may reach a URL built from it.
const label = '[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?';
const hostPattern = new RegExp(`^(?:${label}(?:\\.${label})*\\.?|\\[[0-9A-Fa-f:.]{2,45}\\])(?::[0-9]{0,5})?$`);

/** True when a Host header value is a plain `host[:port]`. */
export function isValidHost(host: string | undefined): host is string {
  return host !== undefined && host !== '' && hostPattern.test(host);
}

/**
 * The request's absolute URL: scheme, the Host header (only when it is a plain `host[:port]`, else
 * `invalid.host`, which no browser Origin can match), and the request's own path. Routing reads the
 * path, never anything derived from Host.
 */
export function requestUrl(req: NodeRequest, secure: boolean = isEncrypted(req)): string {
  const host = req.headers.host ?? (req.headers[':authority'] as string | undefined);
  const path = req.originalUrl ?? req.url ?? '/';
  return `${secure ? 'https' : 'http'}://${isValidHost(host) ? host : 'invalid.host'}${path.startsWith('/') ? path : '/'}`;
}

/**
 * A zero-copy {@link PaymoAuthRequestLike} over a Node request, for `auth.authenticate()`: no `Request`
 * is built and no header is copied. `headers.get(name)` returns the header, arrays joined with ", ".
 * One object per request (it is its own `headers`): every request of an app makes one.
 */
class NodeRequestView implements PaymoAuthRequestLike {
  readonly method: string;
  readonly headers: { get(name: string): string | null } = this;

  constructor(private readonly req: NodeRequest) {
    this.method = req.method ?? 'GET';
  }

  get url(): string {
    return requestUrl(this.req);
  }

  get(name: string): string | null {
    const value = this.req.headers[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }
}

/** The {@link PaymoAuthRequestLike} view of a Node request (see `NodeRequestView`). */
export function nodeRequestLike(req: NodeRequest): PaymoAuthRequestLike {
  return new NodeRequestView(req);
}
