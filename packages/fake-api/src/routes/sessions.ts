import { fakeError } from '../errors.js';
import type { RouteContext, Route } from '../router.js';
import type { StoredSession } from '../state.js';

/** The current user's sessions a request may see (its own; live ones unless `listExpiredSessions`). */
function visible(context: RouteContext, session: StoredSession | undefined): session is StoredSession {
  if (!session || session.userId !== context.auth.user.id) return false;
  return context.options.listExpiredSessions || !context.state.isExpired(session, context.now);
}

const notFound = () => fakeError(404, 'not_found', 'Session not found');

/** `/api/sessions` and `/api/sessions/:id` (paymo-api.md §2.3, §2.5). */
export const sessionRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/api/sessions',
    handle(context) {
      const sessions = [...context.state.sessions.values()]
        .filter((session) => visible(context, session))
        .sort((a, b) => a.createdOn - b.createdOn)
        .map((session) => context.state.sessionJson(session));
      return { status: 200, body: { sessions } };
    },
  },
  {
    method: 'POST',
    pattern: '/api/sessions',
    handle(context) {
      const { auth, options, state } = context;
      if (auth.scheme === 'session' && !options.allowSessionToCreateSession) {
        return fakeError(401, 'session_cannot_create_session', 'Creating a session needs HTTP Basic authentication or an API key');
      }
      const session = state.sessionJson(state.createSession(auth.user.id, context.ip, context.now));
      const body = { sessions: [session] };
      if (options.createSessionStatus === 200) return { status: 200, body };
      const path = `/api/sessions/${session.id}`;
      return { status: 201, body, headers: { Location: options.locationHeader === 'path' ? path : `${context.origin}${path}` } };
    },
  },
  {
    method: 'GET',
    pattern: '/api/sessions/:id',
    handle(context) {
      const session = context.state.sessions.get(context.params.id ?? '');
      return visible(context, session) ? { status: 200, body: { sessions: [context.state.sessionJson(session)] } } : notFound();
    },
  },
  {
    method: 'DELETE',
    pattern: '/api/sessions/:id',
    handle(context) {
      const session = context.state.sessions.get(context.params.id ?? '');
      if (!visible(context, session)) return notFound();
      context.state.endSession(session.id);
      return { status: 200, body: context.options.deleteSessionBody === 'object' ? {} : undefined };
    },
  },
];
