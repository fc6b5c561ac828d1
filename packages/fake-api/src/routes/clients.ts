import { fakeError } from '../errors.js';
import type { Route } from '../router.js';
import { applyWhere } from '../where.js';

/** `GET /api/clients[?where=...]` and `GET /api/clients/:id`, the demo resource of the docs' curl examples. */
export const clientRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/api/clients',
    handle({ state, query }) {
      const filtered = applyWhere(structuredClone(state.clients), query.get('where') ?? '');
      if (!filtered.ok) return fakeError(400, 'bad_request', filtered.message);
      return { status: 200, body: { clients: filtered.items } };
    },
  },
  {
    method: 'GET',
    pattern: '/api/clients/:id',
    handle({ state, params }) {
      const client = state.clients.find((candidate) => String(candidate.id) === params.id);
      return client ? { status: 200, body: { clients: [structuredClone(client)] } } : fakeError(404, 'not_found', 'Client not found');
    },
  },
];
