import type { AddressInfo } from 'node:net';
import { isPaymoAuthError } from '@paymo/auth-core';
import { RedisSessionStore } from '@paymo/auth-redis';
import { createApp, defaultPaymoApiUrl } from './app.js';

// Only listens; everything else is in app.ts so tests build the same app.
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const paymoApiUrl = process.env.PAYMO_API_URL ?? defaultPaymoApiUrl;

/** TRUST_PROXY as Express understands it: true/false, a hop count, or a list of addresses ("loopback"). */
function parseTrustProxy(value: string | undefined): boolean | number | string | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}

/**
 * PAYMO_STORE=redis: sessions, rate limits and the service token shared by every instance on one Redis
 * (REDIS_URL), or on a Redis Cluster when REDIS_CLUSTER_NODES lists startup nodes ("host:port,host:port").
 */
function storeFromEnv(): RedisSessionStore | undefined {
  const kind = process.env.PAYMO_STORE || 'memory';
  if (kind === 'memory') return undefined;
  if (kind !== 'redis') {
    console.error(`PAYMO_STORE must be "memory" or "redis", not "${kind}"`);
    process.exit(2);
  }
  const clusterNodes = process.env.REDIS_CLUSTER_NODES?.split(',').filter(Boolean).map((node) => {
    const [nodeHost = '127.0.0.1', nodePort = '6379'] = node.trim().split(':');
    return { host: nodeHost, port: Number(nodePort) };
  });
  return new RedisSessionStore({
    ...(clusterNodes?.length ? { clusterNodes } : { url: process.env.REDIS_URL || 'redis://127.0.0.1:6379' }),
    keyPrefix: process.env.REDIS_KEY_PREFIX || 'paymo:',
    onError: (error) => console.error(`Redis: ${error.message}`),
  });
}

/** A positive whole number of milliseconds from the environment, or undefined when unset. */
function msFromEnv(name: string): number | undefined {
  const value = process.env[name];
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value) || Number(value) <= 0) {
    console.error(`${name} must be a positive whole number of milliseconds, not "${value}"`);
    process.exit(2);
  }
  return Number(value);
}

const store = storeFromEnv();
// A store that can never work (e.g. scripts disabled) stops the start; one that is only down is served as 503 until it is back.
await store?.ready().catch((error: unknown) => {
  if (!isPaymoAuthError(error) || error.code !== 'CONFIG_ERROR') return;
  console.error(error.message);
  process.exit(2);
});
// How soon a session ended in Paymo (revoked, or expired by Paymo's clock) is noticed; tests shorten it.
const revalidateAfterMs = msFromEnv('PAYMO_REVALIDATE_AFTER_MS');

const app = createApp({
  paymoApiUrl,
  staticDir: process.env.STATIC_DIR || undefined,
  trustProxy: parseTrustProxy(process.env.TRUST_PROXY),
  serviceApiKey: process.env.PAYMO_SERVICE_API_KEY || undefined,
  auth: { ...(store && { store }), ...(revalidateAfterMs && { session: { revalidateAfterMs } }) },
});

const server = app.listen(port, host, () => {
  const { port: listening } = server.address() as AddressInfo;
  console.log(`Express example on http://${host}:${listening} (Paymo API ${paymoApiUrl}, ${store ? 'Redis' : 'memory'} store)`);
});

function shutdown(): void {
  server.close(() => void Promise.allSettled([app.locals.paymoAuth.close(), store?.close()]).finally(() => process.exit(0)));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 2_000).unref();
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
