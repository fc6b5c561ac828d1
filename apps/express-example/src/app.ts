import { join, resolve } from 'node:path';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { createServiceClient } from '@paymo/auth-core';
import type { PaymoAuth, PaymoAuthOptions, PaymoClient } from '@paymo/auth-core';
import { getPaymoAuth, paymoAuth, paymoAuthErrorHandler, requirePaymoAuth } from '@paymo/auth-express';
import { signInPage } from './signInPage.js';

/** Options of {@link createApp}; `server.ts` fills them from the environment. */
export interface ExampleAppOptions {
  /** Paymo API base URL. Default `PAYMO_API_URL`, else the local fake API at http://127.0.0.1:4010/api. */
  paymoApiUrl?: string;
  /** A built single-page app (e.g. the React example's `dist/`) to serve, with index.html as fallback. */
  staticDir?: string;
  /** Express's `trust proxy` setting, for running behind a TLS-terminating proxy. */
  trustProxy?: boolean | number | string;
  /**
   * More engine options (store, session lifetimes, clock for tests, ...). A `store` given here is also
   * where the service account shares its Paymo token and renewal lock with the app's other instances.
   */
  auth?: PaymoAuthOptions;
  /** The app's own Paymo API key (a service account). Enables `GET /api/service/company`. */
  serviceApiKey?: string;
}

export const defaultPaymoApiUrl = 'http://127.0.0.1:4010/api';

interface PaymoClientRecord {
  id: number;
  name: string;
  [field: string]: unknown;
}

/**
 * The example app: the auth routes under /auth, `GET /api/me`, `GET /api/clients` (fetched from Paymo
 * as the signed-in user), `GET /api/service/company` (fetched with the app's service account, when
 * `serviceApiKey` is set), and either the built SPA from `staticDir` or a small sign-in page.
 *
 * @example
 * ```ts
 * const app = createApp({ paymoApiUrl: 'http://127.0.0.1:4010/api' });
 * app.listen(3000, '127.0.0.1');
 * ```
 */
export function createApp(options: ExampleAppOptions = {}): Express & { locals: { paymoAuth: PaymoAuth } } {
  const app = express();
  app.disable('x-powered-by');
  if (options.trustProxy !== undefined) app.set('trust proxy', options.trustProxy);

  const baseUrl = options.paymoApiUrl ?? process.env.PAYMO_API_URL ?? defaultPaymoApiUrl;
  const auth = paymoAuth({ baseUrl, ...options.auth });
  app.locals.paymoAuth = auth.auth;

  // Static files and the SPA shell come first: they need no auth, so they skip the session lookup.
  if (options.staticDir) {
    const root = resolve(options.staticDir);
    app.use(express.static(root, { index: false }));
    app.use((req, res, next) => (isPageRequest(req, auth.auth) ? res.sendFile(join(root, 'index.html')) : next()));
  } else {
    app.get('/', (_req, res) => res.type('html').send(signInPage));
  }

  app.use(auth);

  app.get('/api/me', requirePaymoAuth(), (req, res) => {
    const { user, session } = getPaymoAuth(req);
    res.json({ user, session });
  });

  app.get('/api/clients', requirePaymoAuth(), (req: Request, res: Response, next: NextFunction) => {
    getPaymoAuth(req)
      .client.request<{ clients: PaymoClientRecord[] }>('GET', '/clients')
      .then(({ clients }) => res.json({ clients }), next);
  });

  if (options.serviceApiKey) {
    const service = serviceClient(baseUrl, options.serviceApiKey, options.auth);
    // Signed-in users only: the service account's data is the company's, not the public's.
    app.get('/api/service/company', requirePaymoAuth(), (_req: Request, res: Response, next: NextFunction) => {
      service.request<{ company: unknown }>('GET', '/company').then(({ company }) => res.json({ company }), next);
    });
  }

  app.use('/api', (_req, res) => {
    res.status(404).json({ error: { code: 'NOT_FOUND', message: 'No such endpoint.' } });
  });
  app.use(paymoAuthErrorHandler());
  return app as Express & { locals: { paymoAuth: PaymoAuth } };
}

/**
 * The service account's client: it mints its own Paymo session from the API key and renews it. With a
 * shared store (Redis), every instance uses the same token and a renewal is one `POST /sessions` for
 * the whole fleet.
 */
function serviceClient(baseUrl: string, apiKey: string, auth: PaymoAuthOptions | undefined): PaymoClient {
  return createServiceClient({
    apiKey,
    baseUrl,
    ...(auth?.store ? { store: auth.store } : {}),
    ...(auth?.fetch ? { fetch: auth.fetch } : {}),
  });
}

function isPageRequest(req: Request, auth: PaymoAuth): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (req.path.startsWith('/api/') || req.path === '/api' || auth.ownsPath(req.path)) return false;
  // A browser navigation (Accept: text/html) to a path that is not a file: the SPA's router takes it.
  return !/\.[A-Za-z0-9]+$/.test(req.path) && req.accepts(['json', 'html']) === 'html';
}
