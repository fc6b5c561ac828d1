// A real auth server for the hook tests, in its own Node process: the tests run in happy-dom, which
// replaces fetch/Request/Response/Headers globals with its own, and the server must keep Node's.
// Started by startAuthServer.ts; driven over IPC (`configure` swaps in an engine with other options).
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createFakePaymo } from '@paymo/fake-api';
import { paymoAuth } from '@paymo/auth-express';

interface Command {
  id: number;
  op: 'fake' | 'configure' | 'authRequests' | 'resetAuthRequests' | 'stop' | 'start';
  args: unknown[];
}

// Looser than the fake's default quota (5 per 5 s) on purpose: these tests make many Paymo calls per
// test and check other behaviour; the quota itself is tested in quota.test.ts files.
const fake = await createFakePaymo({ rateLimit: { limit: 100, decayPeriodSeconds: 10 } });
const app = express();
const authRequests: string[] = [];
app.use((req, _res, next) => {
  if (req.path.startsWith('/auth/')) authRequests.push(`${req.method} ${req.path}`);
  next();
});
const engineFor = (options: object) =>
  paymoAuth({ baseUrl: fake.url, signInRateLimit: { perIp: 10_000, perAccount: 10_000 }, ...options });
// A router around paymoAuth() lets `configure` swap the middleware between tests.
const routerFor = (middleware: ReturnType<typeof engineFor>) => express.Router().use(middleware);
let middleware = engineFor({});
let router = routerFor(middleware);
app.use((req, res, next) => router(req, res, next));
app.get('/', (_req, res) => res.type('html').send('<!doctype html><title>test</title>'));

let server = app.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const { port } = server.address() as AddressInfo;

async function run({ op, args }: Command): Promise<unknown> {
  switch (op) {
    case 'fake': {
      const [path, ...rest] = args as [string, ...unknown[]];
      const parts = path.split('.');
      const method = parts.pop() as string;
      const target = parts.reduce<Record<string, unknown>>((object, part) => object[part] as Record<string, unknown>, fake as never);
      return await (target[method] as (...a: unknown[]) => unknown).apply(target, rest);
    }
    case 'configure': {
      const previous = middleware;
      middleware = engineFor((args[0] ?? {}) as object);
      router = routerFor(middleware);
      await previous.auth.close();
      return null;
    }
    case 'authRequests':
      return [...authRequests];
    case 'resetAuthRequests':
      authRequests.length = 0;
      return null;
    case 'stop': // "the server is down": refuse connections until start
      await new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      });
      return null;
    case 'start':
      server = app.listen(port, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      return null;
  }
}

process.on('message', (command: Command) => {
  run(command).then(
    (result) => process.send?.({ id: command.id, result: result ?? null }),
    (error: unknown) => process.send?.({ id: command.id, error: String(error) }),
  );
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  void Promise.allSettled([middleware.auth.close(), fake.close()]).then(() => process.exit(0));
});
process.send?.({ ready: true, url: `http://127.0.0.1:${port}` });
