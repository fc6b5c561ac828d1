import { resolveBaseUrl } from '../engine/resolveOptions.js';
import type { SessionStore } from '../store/SessionStore.js';
import { createPaymoClient } from './createPaymoClient.js';
import type { PaymoClient, PaymoClientOptions, PaymoServiceOptions } from './types.js';

/** Options of {@link createServiceClient}. */
export interface ServiceClientOptions extends Omit<PaymoClientOptions, 'credential' | 'service' | 'baseUrl'>, Omit<PaymoServiceOptions, 'store'> {
  /** The service account's Paymo API key. */
  apiKey: string;
  /** Default, exactly as the engine's: `PAYMO_API_URL` when set and not empty, else the real Paymo. */
  baseUrl?: string;
  /** Share the token (encrypted) and one renewal across processes, e.g. the engine's Redis store. */
  store?: SessionStore;
}

/**
 * A Paymo client for the server's own calls (a service account): it mints a Paymo session from an API
 * key, sends `X-Session`, and renews it ahead of expiry with one call however many requests wait
 * (across processes with `store`). `baseUrl` is resolved by the engine's own rules, so the service
 * client and `createPaymoAuth()` always talk to the same Paymo. Throws CONFIG_ERROR for a bad `baseUrl`.
 *
 * @example
 * ```ts
 * const paymo = createServiceClient({ apiKey: process.env.PAYMO_SERVICE_API_KEY!, store });
 * const clients = await paymo.request('GET', '/clients');
 * ```
 */
export function createServiceClient(options: ServiceClientOptions): PaymoClient {
  const { apiKey, baseUrl, store, renewBeforeMs, storeKey, ...client } = options;
  const service: PaymoServiceOptions = {
    ...(store ? { store } : {}),
    ...(renewBeforeMs === undefined ? {} : { renewBeforeMs }),
    ...(storeKey === undefined ? {} : { storeKey }),
  };
  return createPaymoClient({
    ...client,
    baseUrl: resolveBaseUrl(baseUrl),
    credential: { type: 'apiKey', apiKey },
    service,
  });
}
