import type { PaymoClient } from '../client/types.js';

/**
 * A {@link PaymoClient} whose real client is only built on its first call. For cookie sessions that
 * means the token is decrypted (one key derivation) only by requests that actually call Paymo.
 * `onError` may replace a call's error (e.g. end the local session when Paymo refuses its token).
 */
export function lazyClient(load: () => Promise<PaymoClient>, onError?: (error: unknown) => Promise<unknown>): PaymoClient {
  let loaded: Promise<PaymoClient> | undefined;
  const client = (): Promise<PaymoClient> => (loaded ??= load());
  const call = async <T>(use: (client: PaymoClient) => Promise<T>): Promise<T> => {
    try {
      return await use(await client());
    } catch (error) {
      throw onError ? await onError(error) : error;
    }
  };
  return {
    me: () => call((c) => c.me()),
    sessions: {
      create: () => call((c) => c.sessions.create()),
      list: () => call((c) => c.sessions.list()),
      get: (id) => call((c) => c.sessions.get(id)),
      delete: (id) => call((c) => c.sessions.delete(id)),
    },
    request: <T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown) =>
      call((c) => c.request<T>(method, path, body)),
    requestWithMeta: <T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown) =>
      call((c) => c.requestWithMeta<T>(method, path, body)),
  };
}
