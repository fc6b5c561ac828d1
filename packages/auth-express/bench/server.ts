// One benchmark server, in its own process so the load generator does not share its core.
// Usage: node --import tsx --conditions=@paymo/source bench/server.ts <bare|paymo|express-session>
// Prints nothing; tells the parent its URL, and its CPU time around a measured run, over IPC.
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import session from 'express-session';
import { createFakePaymo } from '@paymo/fake-api';
import { paymoAuth, requirePaymoAuth, getPaymoAuth } from '../src/index.js';

const variant = process.argv[2];
const app: Express = express();
app.disable('x-powered-by');
let stop = async (): Promise<void> => {};

if (variant === 'bare') {
  app.get('/api/me', (_req, res) => res.json({ id: 1, name: 'Michael Scott' }));
} else if (variant === 'paymo') {
  // Only the sign-in talks to the fake; with a 60 s revalidation bound the measured requests never do.
  // Looser than the fake's default quota (5 per 5 s) on purpose: these tests make many Paymo calls per
  // test and check other behaviour; the quota itself is tested in quota.test.ts files.
  const fake = await createFakePaymo({ rateLimit: { limit: 100, decayPeriodSeconds: 10 } });
  const middleware = paymoAuth({ baseUrl: fake.url });
  app.use(middleware);
  app.get('/api/me', requirePaymoAuth(), (req, res) => {
    const { user } = getPaymoAuth(req);
    res.json({ id: user.id, name: user.name });
  });
  // What every request without credentials pays for paymoAuth() being eager (e.g. a public page).
  app.get('/api/public', (_req, res) => res.json({ id: 1, name: 'Michael Scott' }));
  stop = async () => {
    await middleware.auth.close();
    await fake.close();
  };
} else if (variant === 'express-session') {
  app.use(session({ secret: 'bench-only-secret', resave: false, saveUninitialized: false, name: 'connect.sid' }));
  app.post('/login', (req, res) => {
    (req.session as unknown as { user: { id: number; name: string } }).user = { id: 1, name: 'Michael Scott' };
    res.json({ ok: true });
  });
  app.get('/api/me', (req, res) => {
    const user = (req.session as unknown as { user?: { id: number; name: string } }).user;
    if (!user) return void res.status(401).json({ error: 'signed out' });
    res.json({ id: user.id, name: user.name });
  });
} else {
  console.error(`unknown variant ${variant}`);
  process.exit(2);
}

const server = app.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ url: `http://127.0.0.1:${port}` });
});
process.on('disconnect', () => process.exit(0)); // the parent went away

// CPU time is the figure that survives a busy machine: the parent asks for it around the measured run.
let cpuAtStart = process.cpuUsage();
process.on('message', (message) => {
  if (message === 'cpu-start') cpuAtStart = process.cpuUsage();
  if (message === 'cpu-stop') {
    const used = process.cpuUsage(cpuAtStart);
    process.send?.({ cpuMicros: used.user + used.system });
  }
  if (message !== 'stop') return;
  server.closeAllConnections();
  server.close(() => void stop().finally(() => process.exit(0)));
});
