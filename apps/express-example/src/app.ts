import { join, resolve } from 'node:path';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { PaymoAuth, PaymoAuthOptions } from '@paymo/auth-core';
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

/**
 * What the browser may read and write in Paymo through `/auth/paymo/<path>`, as the signed-in user
 * (the React example's projects, tasks and time entries). The Nest example allows the same.
 */
export const paymoProxyAllowList = [
  'GET me',
  'GET projects',
  'GET projects/:id',
  'GET tasklists',
  'GET tasks',
  'GET tasks/:id',
  'GET entries',
  'POST entries',
  'DELETE entries/:id',
];

interface PaymoClientRecord {
  id: number;
  name: string;
  [field: string]: unknown;
}

interface PaymoProjectRecord {
  id: number;
  name: string;
  [field: string]: unknown;
}

/**
 * The example app: the auth routes under /auth (with the Paymo proxy for `paymoProxyAllowList`), `GET /api/me`,
 * `GET /api/clients`, `/api/clients/:id` and `GET /api/projects` (fetched from Paymo as the signed-in user),
 * `GET /api/service/company` (fetched with the app's service account, when
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
  const auth = paymoAuth({ baseUrl, proxy: { allow: paymoProxyAllowList }, ...options.auth });
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

  // The signed-in user's projects, as Paymo shows them to that user (Employees: only their own).
  app.get('/api/projects', requirePaymoAuth(), (req: Request, res: Response, next: NextFunction) => {
    getPaymoAuth(req)
      .client.request<{ projects: PaymoProjectRecord[] }>('GET', '/projects')
      .then(({ projects }) => res.json({ projects }), next);
  });

  // One client by id: a page showing several clients makes several distinct Paymo calls at once.
  app.get('/api/clients/:id', requirePaymoAuth(), (req: Request, res: Response, next: NextFunction) => {
    const id = String(req.params.id);
    if (!/^\d{1,12}$/.test(id)) return next();
    getPaymoAuth(req)
      .client.request<{ clients: PaymoClientRecord[] }>('GET', `/clients/${id}`)
      .then(({ clients }) => res.json({ client: clients[0] }), next);
  });

  if (options.serviceApiKey) {
    // The engine's own Paymo, store, fetch and timeout: resolved once, by the engine.
    const service = auth.auth.serviceClient(options.serviceApiKey);
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
function isPageRequest(req: Request, auth: PaymoAuth): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (req.path.startsWith('/api/') || req.path === '/api' || auth.ownsPath(req.path)) return false;
  // A browser navigation (Accept: text/html) to a path that is not a file: the SPA's router takes it.
  return !/\.[A-Za-z0-9]+$/.test(req.path) && req.accepts(['json', 'html']) === 'html';
}
