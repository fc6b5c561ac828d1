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

const app = createApp({
  paymoApiUrl,
  staticDir: process.env.STATIC_DIR || undefined,
  trustProxy: parseTrustProxy(process.env.TRUST_PROXY),
});

const server = app.listen(port, host, () => {
  console.log(`Express example on http://${host}:${port} (Paymo API ${paymoApiUrl})`);
});

function shutdown(): void {
  server.close(() => void app.locals.paymoAuth.close().finally(() => process.exit(0)));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 2_000).unref();
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
