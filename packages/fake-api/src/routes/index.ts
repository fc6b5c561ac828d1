import type { Route } from '../router.js';
import { clientRoutes } from './clients.js';
import { companyRoutes } from './company.js';
import { meRoutes } from './me.js';
import { sessionRoutes } from './sessions.js';
import { userRoutes } from './users.js';

/** @internal Every built-in endpoint of the fake. */
export const builtInRoutes: readonly Route[] = [...meRoutes, ...sessionRoutes, ...userRoutes, ...companyRoutes, ...clientRoutes];
