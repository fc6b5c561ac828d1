import type { Engine } from './engineContext.js';
import type { PaymoRequestContext } from './types.js';

/** What every auth route handler receives. */
export interface RouteInput {
  engine: Engine;
  request: Request;
  context: PaymoRequestContext | undefined;
}

/** One auth route: its method, whether it changes state (CSRF checks), and its handler. */
export interface Route {
  method: 'GET' | 'POST';
  handler(input: RouteInput): Promise<Response>;
}
