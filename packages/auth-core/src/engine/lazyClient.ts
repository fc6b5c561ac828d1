import type { PaymoClient } from '../client/types.js';

/**
 * A {@link PaymoClient} whose real client is only built on its first call. For cookie sessions that
 * means the token is decrypted (one key derivation) only by requests that actually call Paymo.
 */
export function lazyClient(load: () => Promise<PaymoClient>): PaymoClient {
  let loaded: Promise<PaymoClient> | undefined;
  const client = (): Promise<PaymoClient> => (loaded ??= load());
  return {
    me: async () => (await client()).me(),
    sessions: {
      create: async () => (await client()).sessions.create(),
      list: async () => (await client()).sessions.list(),
      get: async (id) => (await client()).sessions.get(id),
      delete: async (id) => (await client()).sessions.delete(id),
    },
    request: async <T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown) =>
      (await client()).request<T>(method, path, body),
    requestWithMeta: async <T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown) =>
      (await client()).requestWithMeta<T>(method, path, body),
  };
}
