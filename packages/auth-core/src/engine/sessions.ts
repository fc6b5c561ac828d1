import type { PaymoSessionSummary } from '../publicSession.js';
import type { PaymoSessionResource } from '../user.js';
import { jsonResponse } from './errorResponse.js';
import { sessionHandle } from './handles.js';
import type { RouteInput } from './route.js';
import { loadUserSessions } from './userSessions.js';

function isoOrRaw(value: string): string {
  const time = Date.parse(value);
  return Number.isFinite(time) ? new Date(time).toISOString() : String(value);
}

/** One Paymo session as the browser may see it: an opaque handle instead of the id (the id is the token). */
export async function summarizeSession(session: PaymoSessionResource, currentId: string | null): Promise<PaymoSessionSummary> {
  return {
    handle: await sessionHandle(session.id),
    ip: String(session.ip ?? ''),
    createdAt: isoOrRaw(session.created_on),
    expiresAt: isoOrRaw(session.expires_on),
    current: currentId !== null && session.id === currentId,
  };
}

/**
 * `GET {basePath}/sessions`: the user's Paymo sessions (`GET /sessions` upstream) as
 * `{sessions: [{handle, ip, createdAt, expiresAt, current}]}`. Times are Paymo's, in ISO-8601.
 */
export async function listSessions(input: RouteInput): Promise<Response> {
  const loaded = await loadUserSessions(input);
  if (loaded instanceof Response) return loaded;
  const { sessions, currentSessionId } = loaded;
  return jsonResponse(200, { sessions: await Promise.all(sessions.map((session) => summarizeSession(session, currentSessionId))) });
}
