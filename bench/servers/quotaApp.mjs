// One app instance of the quota bench (bench/quota.mjs), in its own process: a Paymo client for one
// user's API key, as each instance of an app behind a load balancer holds one. Runs the BUILT packages.
// Usage: node bench/servers/quotaApp.mjs <naive|ours|ours-admit|ours-no-store>
// Env: PAYMO_API_URL (the fake), PAYMO_API_KEY, BENCH_REDIS_URL and BENCH_REDIS_PREFIX (for `ours`).
// Over IPC: { id, path } -> { id, ok } per GET; 'stop' closes the store and exits.
import { createPaymoClient } from '@paymo/auth-core';

const variant = process.argv[2];
let store;
if (variant === 'ours' || variant === 'ours-admit') {
  const { RedisSessionStore } = await import('@paymo/auth-redis');
  store = new RedisSessionStore({ url: process.env.BENCH_REDIS_URL, keyPrefix: process.env.BENCH_REDIS_PREFIX });
  // What a custom store with admit() but no reserve() gets: waiting calls race for each free slot.
  if (variant === 'ours-admit') store.reserve = undefined;
}
const quota = { naive: false, ours: { store }, 'ours-admit': { store }, 'ours-no-store': {} }[variant];
if (quota === undefined) throw new Error(`unknown variant ${variant}`);
const paymo = createPaymoClient({
  baseUrl: process.env.PAYMO_API_URL,
  credential: { type: 'apiKey', apiKey: process.env.PAYMO_API_KEY },
  quota,
});

process.on('message', async (message) => {
  if (message === 'stop') {
    await store?.close();
    process.exit(0);
  }
  const ok = await paymo.request('GET', message.path).then(() => true, () => false);
  process.send({ id: message.id, ok });
});
process.send('ready');
