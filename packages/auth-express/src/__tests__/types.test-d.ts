// Compile-time checks (tsc -p tsconfig.json): the Request augmentation and the public types.
import express from 'express';
import { expectTypeOf } from 'vitest';
import type { PaymoAuth, PaymoAuthState, PaymoClient } from '@paymo/auth-core';
import { getPaymoAuth, paymoAuth, requirePaymoAuth, type PaymoAuthenticatedState } from '../index.js';

const app = express();
const middleware = paymoAuth();
expectTypeOf(middleware.auth).toEqualTypeOf<PaymoAuth>();
expectTypeOf(middleware).toMatchTypeOf<express.RequestHandler>(); // a plain middleware: callable, one argument
app.use(middleware);
app.use(paymoAuth({ onUnavailable: 'anonymous', basePath: '/api/auth' }));
// @ts-expect-error: the Express layer has no options of its own any more
paymoAuth({}, { onUnavailable: 'anonymous' });

app.get('/api/projects', requirePaymoAuth({ userType: ['Admin', 'Employee'] }), async (req, res) => {
  expectTypeOf(req.paymo).toEqualTypeOf<PaymoAuthState>();
  const auth = getPaymoAuth(req);
  expectTypeOf(auth).toEqualTypeOf<PaymoAuthenticatedState>();
  expectTypeOf(auth.client).toEqualTypeOf<PaymoClient>();
  expectTypeOf(auth.user.id).toBeNumber();
  res.json(await auth.client.request('GET', '/projects'));
});

app.get('/', (req, res) => {
  if (req.paymo.authenticated) res.send(req.paymo.user.name);
  else res.status(401).json(req.paymo.error.toJSON());
});

requirePaymoAuth({ predicate: async (auth, req) => auth.user.type === 'Admin' && req.params.id !== undefined });
requirePaymoAuth({ redirectTo: (req) => `/sign-in?next=${encodeURIComponent(req.originalUrl)}` });
// @ts-expect-error: a predicate answers a boolean
requirePaymoAuth({ predicate: (auth) => auth.user === undefined ? 1 : true });
