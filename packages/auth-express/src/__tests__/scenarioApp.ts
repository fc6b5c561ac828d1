import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StartAbuseApp } from '../../../auth-core/src/__tests__/abuse/abuseScenarios.js';
import { getPaymoAuth, paymoAuth, paymoAuthErrorHandler, requirePaymoAuth } from '../index.js';
import type { ExpressModule } from './harness.js';

/** A real Express app (of the given major) for the shared scenario suites of auth-core's tests. */
export function startScenarioApp(lib: ExpressModule): StartAbuseApp {
  return async (_fake, auth) => {
    const middleware = paymoAuth(auth);
    const app = lib();
    app.set('trust proxy', 'loopback');
    app.use(lib.json());
    app.use(middleware);
    app.get('/api/me', requirePaymoAuth(), (req, res) => res.json({ user: getPaymoAuth(req).user }));
    app.get('/api/clients', requirePaymoAuth(), (req, res, next) => {
      getPaymoAuth(req).client.request('GET', '/clients').then((body) => res.json(body), next);
    });
    app.use(paymoAuthErrorHandler());
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
      origin: `http://127.0.0.1:${port}`,
      port,
      async close() {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
        await middleware.auth.close();
      },
    };
  };
}

