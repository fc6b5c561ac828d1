import { fakeError } from '../errors.js';
import type { Route } from '../router.js';
import { applyWhere } from '../where.js';

/** `GET /api/users[?where=...]` and `GET /api/users/:id` (paymo-api.md §2.7, §6.1). */
export const userRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/api/users',
    handle({ state, query }) {
      const users = [...state.users.values()].map((user) => state.publicUser(user));
      const filtered = applyWhere(users, query.get('where') ?? '');
      if (!filtered.ok) return fakeError(400, 'bad_request', filtered.message);
      return { status: 200, body: { users: filtered.items } };
    },
  },
  {
    method: 'GET',
    pattern: '/api/users/:id',
    handle({ state, params }) {
      const id = /^\d{1,15}$/.test(params.id ?? '') ? Number(params.id) : Number.NaN;
      const user = state.users.get(id);
      return user ? { status: 200, body: { users: [state.publicUser(user)] } } : fakeError(404, 'not_found', 'User not found');
    },
  },
];
