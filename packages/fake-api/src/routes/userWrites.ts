import { parseBody } from '../body.js';
import { coerce } from '../coerce.js';
import { fakeError } from '../errors.js';
import { formatPaymoDate } from '../format.js';
import type { FieldSpec } from '../resources.js';
import type { HandlerResult, Route, RouteContext } from '../router.js';
import type { SeedUser } from '../seed.js';

// Writable fields of users.md's object table (`password` is write-only; the rest are read-only or absent).
const text: FieldSpec = { type: 'text' };
const FIELDS: Record<string, FieldSpec> = {
  name: text, email: text, type: text, active: { type: 'boolean' }, password: text, phone: text, skype: { type: 'text', nullable: true },
  position: text, workday_hours: { type: 'decimal' }, price_per_hour: { type: 'decimal', nullable: true }, timezone: text,
  date_format: text, time_format: text, decimal_sep: text, thousands_sep: text, week_start: text, language: text, theme: text,
  assigned_projects: { type: 'list' }, managed_projects: { type: 'list' },
};
const READ_ONLY = ['id', 'created_on', 'updated_on', 'image', 'image_thumb_large', 'image_thumb_medium', 'image_thumb_small', 'is_online'];
/** What only an Admin may change, even on their own user (INFERRED). */
const ADMIN_ONLY = ['type', 'active', 'assigned_projects', 'managed_projects', 'email'];

const bad = (message: string) => fakeError(400, 'bad_request', message);
const forbidden = () => fakeError(403, 'forbidden', 'Forbidden');

function readFields(context: RouteContext): { ok: true; fields: Record<string, unknown> } | { ok: false; result: HandlerResult } {
  if ([...context.query.keys()].length > 0) return { ok: false, result: bad('Unknown query parameter') };
  const parsed = parseBody(context.body, context.contentType);
  if (!parsed.ok) return { ok: false, result: bad(parsed.message) };
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(parsed.fields)) {
    if (READ_ONLY.includes(name)) continue;
    const spec = FIELDS[name];
    if (!spec) return { ok: false, result: bad(`Unknown field: ${name.slice(0, 60)}`) };
    const checked = coerce(name, spec, value);
    if (!checked.ok) return { ok: false, result: bad(checked.message) };
    fields[name] = checked.value;
  }
  // The `type` field only takes Admin, Employee or Guest (READ users.md).
  if (fields.type !== undefined && !['Admin', 'Employee', 'Guest'].includes(fields.type as string)) return { ok: false, result: bad('type must be Admin, Employee or Guest') };
  if (fields.email !== undefined && !/^[^\s@]+@[^\s@]+$/.test(fields.email as string)) return { ok: false, result: bad('email is not an email address') };
  if (fields.password === '') return { ok: false, result: bad('password must not be empty') };
  return { ok: true, fields };
}

/** "403 Error: Could not add user. Maximum number of users reached." when active non-Guests fill `max_users` (READ). */
function overLimit(context: RouteContext, type: unknown): HandlerResult | undefined {
  const max = context.state.company.max_users;
  if (type === 'Guest' || typeof max !== 'number') return undefined;
  const active = [...context.state.users.values()].filter((user) => user.active && user.type !== 'Guest').length;
  return active >= max ? fakeError(403, 'forbidden', 'Could not add user. Maximum number of users reached.') : undefined;
}

/** Makes the projects' `users`/`managers` say what the user's `assigned_projects`/`managed_projects` say. */
function assign(context: RouteContext, userId: number, fields: Record<string, unknown>): HandlerResult | undefined {
  const projects = context.state.table('projects');
  for (const [field, list] of [['assigned_projects', 'users'], ['managed_projects', 'managers']] as const) {
    const ids = fields[field] as number[] | undefined;
    if (!ids) continue;
    for (const id of ids) if (!projects.some((project) => project.id === id)) return bad(`Unknown project id ${id} in ${field}`);
    for (const project of projects) {
      const members = new Set((project[list] as number[] | undefined) ?? []);
      if (ids.includes(project.id as number)) members.add(userId);
      else members.delete(userId);
      project[list] = [...members];
      if (list === 'managers' && members.has(userId)) project.users = [...new Set([...((project.users as number[]) ?? []), userId])];
    }
  }
  return undefined;
}

function apply(user: SeedUser, fields: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(fields)) {
    if (name === 'assigned_projects' || name === 'managed_projects') continue;
    (user as Record<string, unknown>)[name] = value;
  }
}

function shown(context: RouteContext, user: SeedUser) {
  return { users: [context.state.publicUser(user)] };
}

/** `POST /api/users` (Admins), `POST`/`PUT /api/users/:id` (Admins, or a user's own profile), `DELETE /api/users/:id` (Admins). */
export const userWriteRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/api/users',
    handle(context) {
      if (context.auth.user.type !== 'Admin') return forbidden();
      const read = readFields(context);
      if (!read.ok) return read.result;
      const { fields } = read;
      if (fields.email === undefined) return bad('Missing required field(s): email');
      if (context.state.usersByEmail(fields.email as string, false).some((user) => user.active)) return bad('A user with this email already exists');
      const limited = overLimit(context, fields.type);
      if (limited) return limited;
      const id = Math.max(0, ...context.state.users.keys()) + 1;
      const stamp = formatPaymoDate(context.now);
      const user: SeedUser = { id, name: '', email: '', type: 'Employee', active: true, created_on: stamp, updated_on: stamp };
      apply(user, fields);
      // Without `password` "the user will not have a password set" (READ).
      context.state.users.set(id, user);
      const assigned = assign(context, id, fields);
      if (assigned) {
        context.state.users.delete(id);
        return assigned;
      }
      context.emit({ model: 'User', action: 'insert', row: context.state.publicUser(user) as never });
      const path = `/api/users/${id}`;
      return { status: 201, body: shown(context, user), headers: { Location: context.options.locationHeader === 'path' ? path : `${context.origin}${path}` } };
    },
  },
  ...(['POST', 'PUT'] as const).map(
    (method): Route => ({
      method,
      pattern: '/api/users/:id',
      handle(context) {
        const user = context.state.users.get(/^\d{1,15}$/.test(context.params.id ?? '') ? Number(context.params.id) : Number.NaN);
        if (!user) return fakeError(404, 'not_found', 'User not found');
        const admin = context.auth.user.type === 'Admin';
        if (!admin && user.id !== context.auth.user.id) return forbidden();
        const read = readFields(context);
        if (!read.ok) return read.result;
        const { fields } = read;
        if (!admin && ADMIN_ONLY.some((name) => name in fields)) return forbidden();
        if (fields.active === true && !user.active) {
          const limited = overLimit(context, fields.type ?? user.type);
          if (limited) return limited;
        }
        const assigned = assign(context, user.id, fields);
        if (assigned) return assigned;
        apply(user, fields);
        user.updated_on = formatPaymoDate(context.now);
        context.emit({ model: 'User', action: 'update', row: context.state.publicUser(user) as never });
        return { status: 200, body: shown(context, user) };
      },
    }),
  ),
  {
    method: 'DELETE',
    pattern: '/api/users/:id',
    handle(context) {
      const user = context.state.users.get(/^\d{1,15}$/.test(context.params.id ?? '') ? Number(context.params.id) : Number.NaN);
      if (!user) return fakeError(404, 'not_found', 'User not found');
      if (context.auth.user.type !== 'Admin') return forbidden();
      if (user.id === context.auth.user.id) return bad('You cannot delete yourself');
      context.state.users.delete(user.id);
      // "Deleting a user also deletes all time that user logged" (READ users.md); their sessions end too.
      for (const entry of context.state.table('entries').filter((candidate) => candidate.user_id === user.id)) context.state.remove('entries', entry.id as number);
      for (const session of [...context.state.sessions.values()]) if (session.userId === user.id) context.state.endSession(session.id);
      for (const project of context.state.table('projects')) {
        project.users = ((project.users as number[]) ?? []).filter((id) => id !== user.id);
        project.managers = ((project.managers as number[]) ?? []).filter((id) => id !== user.id);
      }
      context.emit({ model: 'User', action: 'delete', row: { id: user.id } });
      return { status: 200, body: context.options.deleteBody === 'object' ? {} : undefined };
    },
  },
];
