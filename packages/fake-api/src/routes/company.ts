import type { Route } from '../router.js';

/** `GET /api/company`: a single object, not an array (paymo-api.md §3.2 exception, READ). */
export const companyRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/api/company',
    handle: ({ state }) => ({ status: 200, body: { company: structuredClone(state.company) } }),
  },
];
