/** The only thing tabs tell each other. No user, no token: each tab asks the server itself. */
export type PaymoCrossTabEvent = 'signed-in' | 'signed-out';

/** A channel between the tabs of one origin. */
export interface PaymoCrossTabChannel {
  post(event: PaymoCrossTabEvent): void;
  close(): void;
}

const events: readonly string[] = ['signed-in', 'signed-out'];

/**
 * Opens a `BroadcastChannel` named `name`, or, where there is none, uses `storage` events on a
 * `localStorage` key of the same name (written and removed at once; it only ever holds
 * `{"type":"signed-out","at":...}`). Returns a no-op channel where neither exists (server rendering).
 */
export function createCrossTabChannel(name: string, onEvent: (event: PaymoCrossTabEvent) => void): PaymoCrossTabChannel {
  if (typeof BroadcastChannel === 'function') {
    const channel = new BroadcastChannel(name);
    channel.onmessage = (message: MessageEvent) => {
      const type: unknown = (message.data as { type?: unknown } | null)?.type;
      if (typeof type === 'string' && events.includes(type)) onEvent(type as PaymoCrossTabEvent);
    };
    return { post: (type) => channel.postMessage({ type }), close: () => channel.close() };
  }
  const storage = typeof window === 'undefined' ? undefined : safeLocalStorage();
  if (!storage) return { post() {}, close() {} };
  const onStorage = (event: StorageEvent) => {
    if (event.key !== name || !event.newValue) return;
    try {
      const type: unknown = (JSON.parse(event.newValue) as { type?: unknown }).type;
      if (typeof type === 'string' && events.includes(type)) onEvent(type as PaymoCrossTabEvent);
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

function safeLocalStorage(): Storage | undefined {
  try {
    return window.localStorage ?? undefined;
  } catch {
    return undefined; // Access denied (e.g. blocked third-party storage).
  }
}
