// A tiny node:http app over the engine and the Node helpers, as a user without a framework writes it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PaymoAuth } from '@paymo/auth-core';
import { createPaymoNodeHandler } from '@paymo/auth-core/node';

export interface NodeTestServer {
  url: string;
  port: number;
  server: Server;
  /** Errors that escaped to the server's catch-all (there must be none). */
  crashes: unknown[];
  close(): Promise<void>;
}

export async function startNodeServer(auth: PaymoAuth): Promise<NodeTestServer> {
  const crashes: unknown[] = [];
  const paymo = createPaymoNodeHandler(auth);
  const server = createServer(async (req, res) => {
    try {
      const state = await paymo.handle(req, res);
      if (state === null) return;
      if (!state.authenticated) return await paymo.respond(req, res, state.error);
      res.setHeader('content-type', 'application/json');
      if (req.url === '/api/me') {
        const me = await state.client.me();
        res.end(JSON.stringify({ name: me.name, strategy: state.strategy }));
        return;
      }
      res.end(JSON.stringify({ user: state.user, strategy: state.strategy }));
    } catch (error) {
      crashes.push(error);
      res.statusCode = 500;
      res.end('crash');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    crashes,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
