// The Paymo proxy benchmark server: one Express app with paymoAuth({ proxy }) and, for comparison, a
// hand-written route making the same Paymo call (GET /clients) with the user's client.
// Env: PAYMO_API_URL (the fake). Runs the BUILT packages, as an app would.
import { setupServer } from './serverHarness.mjs';

const { default: express } = await import('express');
const { paymoAuth, requirePaymoAuth, getPaymoAuth } = await import('@paymo/auth-express');
const app = express();
app.disable('x-powered-by');
const auth = paymoAuth({
  baseUrl: process.env.PAYMO_API_URL,
  proxy: { allow: ['GET clients'] },
  signInRateLimit: { perIp: 1_000_000, perAccount: 1_000_000 },
});
app.use(auth);
app.get('/api/clients', requirePaymoAuth(), (req, res, next) => {
  getPaymoAuth(req).client.request('GET', '/clients').then((body) => res.json(body), next);
});
const server = app.listen(0, '127.0.0.1', () => {
  setupServer({
    url: `http://127.0.0.1:${server.address().port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await auth.auth.close();
    },
  });
});
