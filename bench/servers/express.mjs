// One Express benchmark server, in its own process so the load generator does not share its core.
// Usage: node bench/servers/express.mjs <bare|limit|limit-redis|paymo-memory|paymo-redis|paymo-redis-autopipelining|express-session-redis>
// Env: PAYMO_API_URL (the fake), BENCH_REDIS_URL, BENCH_REDIS_PREFIX. Runs the BUILT packages (dist/),
// as an app would. Tells the parent its URL over IPC, then answers 'cpu-start'/'cpu-stop' (CPU time
// around the measured run) and 'count-start'/'count-stop' (Redis commands sent, by name).
import { setupServer } from './serverHarness.mjs';

const variant = process.argv[2];
const redisUrl = process.env.BENCH_REDIS_URL;
const prefix = process.env.BENCH_REDIS_PREFIX ?? 'bench:';

// Every variant answers the same JSON for GET /api/me; the session variants take it from the session.
const { default: express } = await import('express');
const app = express();
app.disable('x-powered-by');
let stop = async () => {};

if (variant === 'bare') {
  app.get('/api/me', (_req, res) => res.json({ id: 1, name: 'Michael Scott' }));
} else if (variant === 'paymo-memory' || variant.startsWith('paymo-redis')) {
  const { paymoAuth, requirePaymoAuth, getPaymoAuth } = await import('@paymo/auth-express');
  let store;
  if (variant === 'paymo-redis') {
    const { RedisSessionStore } = await import('@paymo/auth-redis');
    store = new RedisSessionStore({ url: redisUrl, keyPrefix: `${prefix}paymo:` });
  } else if (variant === 'paymo-redis-cluster') {
    // The same store on a three-master Redis Cluster (BENCH_REDIS_CLUSTER_NODES, "host:port,...").
    const { RedisSessionStore } = await import('@paymo/auth-redis');
    const clusterNodes = process.env.BENCH_REDIS_CLUSTER_NODES.split(',').map((node) => {
      const [host, port] = node.split(':');
      return { host, port: Number(port) };
    });
    store = await RedisSessionStore.connect({ clusterNodes, keyPrefix: `${prefix}paymo-cluster:` });
  } else if (variant === 'paymo-redis-autopipelining') {
    // A user-supplied ioredis client (the store's `client` option) with the store's own fail-fast
    // settings plus enableAutoPipelining: commands issued in one event-loop turn share one socket write.
    const { RedisSessionStore } = await import('@paymo/auth-redis');
    const { Redis } = await import('ioredis');
    const client = new Redis(redisUrl, {
      enableAutoPipelining: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      commandTimeout: 500,
    });
    store = new RedisSessionStore({ client, keyPrefix: `${prefix}paymo-ap:` });
    stop = () => client.quit(); // the store leaves a client it was given open
  }
  const middleware = paymoAuth({ baseUrl: process.env.PAYMO_API_URL, ...(store ? { store } : {}) });
  app.use(middleware);
  app.get('/api/me', requirePaymoAuth(), (req, res) => {
    const { user } = getPaymoAuth(req);
    res.json({ id: user.id, name: user.name });
  });
  const closeClient = stop;
  stop = async () => {
    await middleware.auth.close();
    await store?.close();
    await closeClient();
  };
} else if (variant === 'limit' || variant === 'limit-redis') {
  // The least a cookie session can cost, hand-written: find the cookie, sha256 it, one lookup (a Map,
  // or one Redis GET), one JSON.parse of a record like ours (same user fields, a sealed token of the
  // same length, the same times), an expiry check. No CSRF, no re-check, no touch, no typed errors.
  const { createHash, randomBytes } = await import('node:crypto');
  const sessions = new Map();
  let redis;
  if (variant === 'limit-redis') {
    const { Redis } = await import('ioredis');
    redis = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    await new Promise((resolve) => redis.once('ready', resolve));
    stop = () => redis.quit();
  }
  const keyOf = (cookie) => `${prefix}limit:${createHash('sha256').update(cookie).digest('base64url')}`;
  app.post('/login', async (_req, res) => {
    const cookie = randomBytes(32).toString('base64url');
    const now = Date.now();
    const record = JSON.stringify({
      v: 1,
      user: { id: 1, name: 'Michael Scott', email: 'michael@dundermifflin.com', type: 'Admin', timezone: 'US/Eastern', image: 'https://app.paymoapp.com/assets/1/users/michael.jpg' },
      createdAt: now, upstreamExpiresAt: now + 31 * 86_400_000, upstreamExpiresOn: now + 31 * 86_400_000, lastSeenAt: now, lastCheckedAt: now,
      token: randomBytes(64).toString('base64url'), strategy: 'cookie', signedInWith: 'basic',
    });
    if (redis) await redis.set(keyOf(cookie), record, 'PX', 86_400_000);
    else sessions.set(keyOf(cookie), record);
    res.setHeader('set-cookie', `paymo.sid=${cookie}; Path=/; HttpOnly; SameSite=Lax`);
    res.json({ ok: true });
  });
  const signedOut = (res) => res.status(401).json({ error: { code: 'SESSION_EXPIRED' } });
  app.use((req, res, next) => {
    const cookie = /(?:^|;\s*)paymo\.sid=([^;]*)/.exec(req.headers.cookie ?? '')?.[1];
    if (!cookie) return signedOut(res);
    const found = (raw) => {
      const record = raw ? JSON.parse(raw) : null;
      if (!record || record.upstreamExpiresAt <= Date.now()) return signedOut(res);
      req.user = record.user;
      next();
    };
    if (redis) redis.get(keyOf(cookie)).then(found, next);
    else found(sessions.get(keyOf(cookie)));
  });
  app.get('/api/me', (req, res) => res.json({ id: req.user.id, name: req.user.name }));
} else if (variant === 'express-session-redis') {
  const { default: session } = await import('express-session');
  const { RedisStore } = await import('connect-redis');
  const { createClient } = await import('redis');
  const client = createClient({ url: redisUrl });
  client.on('error', (error) => console.error(`redis: ${error.message}`));
  await client.connect();
  // The package's documented setup; connect-redis touches (EXPIRE) the key on every request by default.
  app.use(
    session({
      store: new RedisStore({ client, prefix: `${prefix}connect:` }),
      secret: 'bench-only-secret',
      resave: false,
      saveUninitialized: false,
    }),
  );
  app.post('/login', (req, res) => {
    req.session.user = { id: 1, name: 'Michael Scott' };
    res.json({ ok: true });
  });
  app.get('/api/me', (req, res) => {
    const { user } = req.session;
    if (!user) return void res.status(401).json({ error: 'signed out' });
    res.json({ id: user.id, name: user.name });
  });
  stop = () => client.quit();
} else {
  console.error(`unknown variant ${variant}`);
  process.exit(2);
}

const server = app.listen(0, '127.0.0.1', () => {
  setupServer({
    url: `http://127.0.0.1:${server.address().port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await stop();
    },
  });
});
