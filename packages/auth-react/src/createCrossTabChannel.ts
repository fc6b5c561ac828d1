/** The only thing tabs tell each other. No user, no token: each tab asks the server itself. */
export type PaymoCrossTabEvent = 'signed-in' | 'signed-out';

/** A channel between the tabs of one origin. */
export interface PaymoCrossTabChannel {
  post(event: PaymoCrossTabEvent): void;
  close(): void;
}

/**
 * Opens a `BroadcastChannel` named `name`, or, where there is none, uses `storage` events on a
 * `localStorage` key of the same name (written and removed at once; it only ever holds
 * `{"type":"signed-out","at":...}`). Returns a no-op channel where neither exists (server rendering).
 */
export function createCrossTabChannel(name: string, onEvent: (event: PaymoCrossTabEvent) => void): PaymoCrossTabChannel {
  // Only our two event names get through: anything else on the channel or under the key is ignored.
  const receive = (message: unknown) => {
    const type = (message as { type?: unknown } | null)?.type;
    if (type === 'signed-in' || type === 'signed-out') onEvent(type);
  };
  if (typeof BroadcastChannel === 'function') {
    const channel = new BroadcastChannel(name);
    channel.onmessage = (message) => receive(message.data);
    return { post: (type) => channel.postMessage({ type }), close: () => channel.close() };
  }
  let storage: Storage | undefined;
  try {
    storage = window.localStorage;
  } catch {
    // No window (server rendering), or access denied (e.g. blocked third-party storage).
  }
  if (!storage) return { post() {}, close() {} };
  const onStorage = (event: StorageEvent) => {
    try {
      if (event.key === name && event.newValue) receive(JSON.parse(event.newValue));
    } catch {
      // Someone else's value under our key: ignore it.
    }
  };
  window.addEventListener('storage', onStorage);
  return {
    post(type) {
      try {
        // `at` makes every write a change, so two sign-outs in a row both fire an event.
        storage.setItem(name, JSON.stringify({ type, at: Date.now() }));
        storage.removeItem(name);
      } catch {
        // Storage full or disabled: the other tabs catch up at their next focus refetch.
      }
    },
    close: () => window.removeEventListener('storage', onStorage),
  };
}
