import { PaymoAuthError } from '../errors.js';

/** Paymo's documented base URL. */
export const DEFAULT_PAYMO_BASE_URL = 'https://app.paymoapp.com/api';

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/**
 * Validates a Paymo base URL and strips trailing slashes. Paymo only speaks TLS, and credentials must
 * never cross a network in clear text, so `http:` is allowed for loopback hosts only (the fake API,
 * local tests). Throws CONFIG_ERROR otherwise.
 *
 * @example
 * ```ts
 * normalizeBaseUrl('http://127.0.0.1:4010/api/'); // 'http://127.0.0.1:4010/api'
 * normalizeBaseUrl('http://paymo.example.com/api'); // throws CONFIG_ERROR
 * ```
 */
export function normalizeBaseUrl(baseUrl: string = DEFAULT_PAYMO_BASE_URL): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch (cause) {
    throw new PaymoAuthError('CONFIG_ERROR', 'The Paymo baseUrl is not a valid absolute URL.', { cause });
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    throw new PaymoAuthError('CONFIG_ERROR', 'The Paymo baseUrl must use https (http is allowed for loopback hosts only).');
  }
  if (url.username || url.password) {
    throw new PaymoAuthError('CONFIG_ERROR', 'The Paymo baseUrl must not contain credentials; pass them as `credential`.');
  }
  if (url.search || url.hash) {
    throw new PaymoAuthError('CONFIG_ERROR', 'The Paymo baseUrl must not have a query or a fragment.');
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
