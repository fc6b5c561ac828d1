import type { Route } from '../router.js';

/** `GET /api/me`: the current user; `{"users":[user]}` by default (INFERRED, option `meBody`). */
export const meRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/api/me',
    handle: ({ auth, state, options }) => ({ status: 200, body: options.meBody(state.publicUser(auth.user)) }),
  },
];
