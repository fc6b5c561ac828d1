import type { Route } from '../router.js';
import { companyRoutes } from './company.js';
import { meRoutes } from './me.js';
import { resourceRoutes } from './resources.js';
import { sessionRoutes } from './sessions.js';
import { userWriteRoutes } from './userWrites.js';

/** @internal Every built-in endpoint of the fake. */
export const builtInRoutes: readonly Route[] = [
  ...meRoutes,
  ...sessionRoutes,
  ...companyRoutes,
  ...userWriteRoutes,
  ...(['users', 'clients', 'projects', 'tasklists', 'tasks', 'entries', 'hooks'] as const).flatMap(resourceRoutes),
];
