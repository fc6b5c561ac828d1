import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakePaymo } from './createFakePaymo.js';
import type { FaultSpec } from './faults.js';
import { formatPaymoDate } from './format.js';
import { readBody, writeReply } from './http.js';

type Answer = { status: number; body?: unknown };
const ok = (body: unknown = { ok: true }): Answer => ({ status: 200, body });
const bad = (message: string): Answer => ({ status: 400, body: { message } });

function number(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`${name} must be a number`);
  return value;
}

/** Runs one control command; throws an Error whose message becomes a 400. */
function command(fake: FakePaymo, method: string, route: string, body: Record<string, unknown>): Answer | undefined {
  const id = /^\/(sessions|users)\/([^/]+)\/([a-z]+)$/.exec(route);
  switch (`${method} ${id ? `/${id[1]}/:id/${id[3]}` : route}`) {
    case 'POST /reset':
      fake.reset();
      return ok();
    case 'POST /seed':
      fake.reseed(body);
      return ok();
    case 'GET /clock':
      return ok({ now: formatPaymoDate(fake.clock.now()), ms: fake.clock.now(), frozen: fake.clock.frozen });
    case 'POST /clock/advance':
      fake.clock.advance(body.seconds !== undefined ? number(body.seconds, 'seconds') * 1000 : number(body.ms, 'ms'));
      return ok({ now: formatPaymoDate(fake.clock.now()) });
    case 'POST /clock/set': {
      const time = typeof body.time === 'string' ? Date.parse(body.time) : Number.NaN;
      if (Number.isNaN(time)) throw new Error('time must be an ISO 8601 date');
      fake.clock.set(time);
      return ok({ now: formatPaymoDate(fake.clock.now()) });
    }
    case 'POST /clock/freeze':
      fake.clock.freeze();
      return ok();
    case 'POST /faults':
      fake.faults.inject(body as FaultSpec);
      return ok({ faults: fake.faults.active.length });
    case 'DELETE /faults':
      fake.faults.clear();
      return ok();
    case 'GET /requests':
      return ok({ requests: fake.requests });
    case 'DELETE /requests':
      fake.resetRequests();
      return ok();
    case 'GET /webhooks':
      return ok({ deliveries: fake.webhooks.deliveries });
    case 'POST /sessions': {
      const session = fake.sessions.create(number(body.user_id, 'user_id'));
      return { status: 201, body: { sessions: [session] } };
    }
    case 'POST /sessions/:id/end':
      return fake.sessions.revoke(decodeURIComponent(id![2]!)) ? ok() : { status: 404, body: { message: 'No such session' } };
    case 'POST /sessions/:id/expire':
      return fake.sessions.expire(decodeURIComponent(id![2]!)) ? ok() : { status: 404, body: { message: 'No such session' } };
    case 'POST /users/:id/archive':
      fake.users.archive(Number(id![2]));
      return ok();
    case 'POST /users/:id/activate':
      fake.users.activate(Number(id![2]));
      return ok();
    default:
      return undefined;
  }
}

/**
 * @internal The HTTP test-control API under `prefix` (no auth, no rate limit, no faults), so tests in
 * any language can do what `fake.*` does in TypeScript. Answers JSON; bad input is a 400 `{"message"}`.
 */
export function createControlHandler(prefix: string, fake: () => FakePaymo, contentType: string) {
  return async (request: IncomingMessage, response: ServerResponse, path: string): Promise<boolean> => {
    if (path !== prefix && !path.startsWith(`${prefix}/`)) return false;
    const send = (answer: Answer) => writeReply(response, answer.status, answer.body, {}, contentType, Date.now());
    const read = await readBody(request, 1024 * 1024);
    if (!read.ok) {
      if (read.problem === 'too_large') send({ status: 413, body: { message: 'Control request body too large' } });
      return true;
    }
    let body: Record<string, unknown> = {};
    try {
      const parsed: unknown = read.body.trim() === '' ? {} : JSON.parse(read.body);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('body must be a JSON object');
      body = parsed as Record<string, unknown>;
    } catch (error) {
      send(bad(`Control request body: ${error instanceof Error ? error.message : 'not JSON'}`));
      return true;
    }
    try {
      const answer = command(fake(), (request.method ?? 'GET').toUpperCase(), path.slice(prefix.length), body);
      send(answer ?? { status: 404, body: { message: `Unknown control command ${request.method ?? ''} ${path.slice(0, 100)}` } });
    } catch (error) {
      send(bad(error instanceof Error ? error.message : String(error)));
    }
    return true;
  };
}
