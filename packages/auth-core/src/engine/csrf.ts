import { PaymoAuthError } from '../errors.js';

// Cross-site request forgery defence for the state-changing auth routes. JSON-only bodies mean a
// plain HTML form cannot reach them (a cross-origin fetch with that content type needs a CORS
// preflight, which we never grant); Origin / Sec-Fetch-Site catch the rest. Clients that send neither
// header (curl, server-to-server) are not browsers and cannot be forged into sending a cookie.

/**
 * Rejects a request that a browser sent from another origin: if `Origin` is sent it must be ours or
 * trusted; otherwise `Sec-Fetch-Site`, if sent, must be `same-origin` or `none`.
 */
export function checkOrigin(
  headers: { get(name: string): string | null },
  ownOrigin: string,
  trustedOrigins: ReadonlySet<string>,
): void {
  const origin = headers.get('origin');
  if (origin !== null) {
    if (origin !== ownOrigin && !trustedOrigins.has(origin)) {
      throw new PaymoAuthError('CSRF_REJECTED', 'Cross-origin request refused: the Origin is not trusted.');
    }
  } else {
    const site = headers.get('sec-fetch-site');
    if (site !== null && site !== 'same-origin' && site !== 'none') {
      throw new PaymoAuthError('CSRF_REJECTED', `Cross-site request refused (Sec-Fetch-Site: ${site === 'same-site' ? 'same-site' : 'cross-site'}).`);
    }
  }
}

/** Rejects a request whose body is not declared `application/json`. */
export function checkJsonContentType(headers: { get(name: string): string | null }): void {
  if (!isJsonContentType(headers.get('content-type'))) {
    throw new PaymoAuthError('UNSUPPORTED_MEDIA_TYPE', 'Send the request with Content-Type: application/json.');
  }
}

/**
 * Rejects a POST that a browser sent from another origin, or that is not `application/json`.
 * `ownOrigin` comes from the request URL (adapters build it from Host and the app's HTTPS trust).
 */
export function checkCsrf(
  headers: { get(name: string): string | null },
  ownOrigin: string,
  trustedOrigins: ReadonlySet<string>,
): void {
  checkOrigin(headers, ownOrigin, trustedOrigins);
  checkJsonContentType(headers);
}

/** `application/json`, optionally with parameters (`; charset=utf-8`). */
export function isJsonContentType(value: string | null): boolean {
  if (value === null) return false;
  const semicolon = value.indexOf(';');
  const mediaType = (semicolon === -1 ? value : value.slice(0, semicolon)).trim().toLowerCase();
  return mediaType === 'application/json';
}
