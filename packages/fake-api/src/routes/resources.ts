import { parseBody } from '../body.js';
import { coerce } from '../coerce.js';
import { fakeError } from '../errors.js';
import { formatPaymoDate } from '../format.js';
import { emptyInclude, parseInclude, present } from '../include.js';
import { resources, type ResourceName, type ResourceSpec, type RuleContext } from '../resources.js';
import type { HandlerResult, Route, RouteContext } from '../router.js';
import type { Row, TableName } from '../state.js';
import { applyWhere } from '../where.js';

const LIST_PARAMS = ['where', 'include', 'page', 'page_size'];
const ONE_PARAMS = ['include'];

const bad = (message: string) => fakeError(400, 'bad_request', message);

/** A 400 for query parameters the fake does not implement, instead of silently ignoring them (INFERRED). */
function unknownParam(query: URLSearchParams, allowed: readonly string[]): HandlerResult | undefined {
  for (const key of query.keys()) if (!allowed.includes(key)) return bad(`Unknown query parameter: ${key.slice(0, 60)}`);
  return undefined;
}

const rules = (context: RouteContext): RuleContext => ({ state: context.state, user: context.state.publicUser(context.auth.user), now: context.now });

function rowsOf(spec: ResourceSpec, context: RouteContext): Row[] {
  if (spec.name === 'users') return [...context.state.users.values()].map((user) => context.state.publicUser(user) as Row);
  return context.state.table(spec.name as TableName);
}

function findVisible(spec: ResourceSpec, context: RouteContext): Row | undefined {
  const id = /^\d{1,15}$/.test(context.params.id ?? '') ? Number(context.params.id) : Number.NaN;
  const row = rowsOf(spec, context).find((candidate) => candidate.id === id);
  return row && spec.canSee(row, rules(context)) ? row : undefined;
}

const notFound = (spec: ResourceSpec) => fakeError(404, 'not_found', `${spec.name.slice(0, 1).toUpperCase()}${spec.name.slice(1, -1)} not found`);

function nonNegative(text: string | null, name: string, min: number): number | undefined | { error: string } {
  if (text === null) return undefined;
  return /^\d{1,9}$/.test(text) && Number(text) >= min ? Number(text) : { error: `${name} must be an integer >= ${min}` };
}

function list(spec: ResourceSpec) {
  return (context: RouteContext): HandlerResult => {
    const refused = unknownParam(context.query, LIST_PARAMS);
    if (refused) return refused;
    const ctx = rules(context);
    const visible = rowsOf(spec, context).filter((row) => spec.canSee(row, ctx));
    const views = visible.map((row) => (spec.filterView ? spec.filterView(row, ctx) : row));
    const hidden = spec.hidden ?? [];
    const known = Object.keys(spec.fields).length === 0 ? undefined : [...Object.keys(spec.fields), ...(spec.filterFields ?? [])].filter((f) => !hidden.includes(f));
    const special = spec.whereSpecial?.(context.query.get('where') ?? '') ?? { rest: context.query.get('where') ?? '', keep: () => true };
    if ('error' in special) return bad(special.error);
    const filtered = applyWhere(views.filter(special.keep), special.rest, known);
    if (!filtered.ok) return bad(filtered.message);
    const kept = new Set(filtered.items.map((view) => view.id));
    let rows = visible.filter((row) => kept.has(row.id));
    const include = parseInclude(spec.name, context.query.get('include') ?? '');
    if (!include.ok) return bad(include.message);
    // page (0-based) and page_size: undocumented, reported by Paymo support (3RD-PARTY); no total count.
    const page = nonNegative(context.query.get('page'), 'page', 0);
    const size = nonNegative(context.query.get('page_size'), 'page_size', 1);
    if (typeof page === 'object') return bad(page.error);
    if (typeof size === 'object') return bad(size.error);
    if (page !== undefined && size === undefined) return bad('page needs page_size');
    if (size !== undefined) rows = rows.slice((page ?? 0) * size, (page ?? 0) * size + size);
    return { status: 200, body: { [spec.name]: rows.map((row) => present(spec.name, row, include.tree, ctx)) } };
  };
}

function one(spec: ResourceSpec) {
  return (context: RouteContext): HandlerResult => {
    const refused = unknownParam(context.query, ONE_PARAMS);
    if (refused) return refused;
    const row = findVisible(spec, context);
    if (!row) return notFound(spec);
    const include = parseInclude(spec.name, context.query.get('include') ?? '');
    if (!include.ok) return bad(include.message);
    return { status: 200, body: { [spec.name]: [present(spec.name, row, include.tree, rules(context))] } };
  };
}

/** Reads and type-checks a create/update body against the documented fields. */
function readFields(spec: ResourceSpec, context: RouteContext): { ok: true; fields: Row } | { ok: false; result: HandlerResult } {
  const parsed = parseBody(context.body, context.contentType);
  if (!parsed.ok) return { ok: false, result: bad(parsed.message) };
  const fields: Row = {};
  for (const [name, value] of Object.entries(parsed.fields)) {
    const field = spec.fields[name];
    if (!field || name === 'owner_id') return { ok: false, result: bad(`Unknown field: ${name.slice(0, 60)}`) };
    if (field.readOnly) continue;
    const checked = coerce(name, field, value);
    if (!checked.ok) return { ok: false, result: bad(checked.message) };
    fields[name] = checked.value;
  }
  return { ok: true, fields };
}

function refuse(refusal: { status: number; message: string }): HandlerResult {
  const reason = refusal.status === 404 ? 'not_found' : refusal.status === 403 ? 'forbidden' : refusal.status === 409 ? 'conflict' : 'bad_request';
  return fakeError(refusal.status, reason, refusal.message);
}

function create(spec: ResourceSpec) {
  return (context: RouteContext): HandlerResult => {
    const refused = unknownParam(context.query, []);
    if (refused) return refused;
    const read = readFields(spec, context);
    if (!read.ok) return read.result;
    const row = read.fields;
    const complete = spec.required.some((group) => group.every((field) => row[field] !== undefined && row[field] !== ''));
    if (!complete) return bad(`Missing required field(s): ${spec.required.map((group) => group.join(', ')).join(' or ')}`);
    const ctx = rules(context);
    const problem = spec.complete?.(row, ctx, 'insert') ?? spec.check?.('insert', row, ctx);
    if (problem) return refuse(problem);
    const stored = context.state.insert(spec.name as TableName, row, context.now);
    if (spec.model) {
      context.emit({ model: spec.model, action: 'insert', row: present(spec.name, stored, emptyInclude(), ctx) });
      if (spec.name === 'entries' && stored.end_time === null) context.emit({ model: 'Entry', action: 'start', row: present(spec.name, stored, emptyInclude(), ctx) });
    }
    const path = `/api/${spec.name}/${String(stored.id)}`;
    // "201 Created ... The response header Location will contain a link for the new object" (READ §3.4).
    return {
      status: 201,
      body: { [spec.name]: [present(spec.name, stored, emptyInclude(), ctx)] },
      headers: { Location: context.options.locationHeader === 'path' ? path : `${context.origin}${path}` },
    };
  };
}


function update(spec: ResourceSpec) {
  return (context: RouteContext): HandlerResult => {
    const refused = unknownParam(context.query, []);
    if (refused) return refused;
    const before = findVisible(spec, context);
    if (!before) return notFound(spec);
    const read = readFields(spec, context);
    if (!read.ok) return read.result;
    const ctx = rules(context);
    const row: Row = { ...structuredClone(before), ...read.fields };
    const problem = spec.complete?.(row, ctx, 'update', before) ?? spec.check?.('update', row, ctx, before);
    if (problem) return refuse(problem);
    const wasRunning = before.end_time === null;
    for (const key of Object.keys(before)) delete before[key];
    Object.assign(before, row, { updated_on: formatPaymoDate(context.now) });
    if (spec.model) {
      const shown = present(spec.name, before, emptyInclude(), ctx);
      context.emit({ model: spec.model, action: 'update', row: shown });
      if (spec.name === 'entries' && wasRunning && before.end_time !== null) context.emit({ model: 'Entry', action: 'stop', row: shown });
    }
    return { status: 200, body: { [spec.name]: [present(spec.name, before, emptyInclude(), ctx)] } };
  };
}

/** Rows that hang off a deleted row: "Deleting a project will also delete ... task lists and tasks ... and time entries" (READ). */
function cascade(spec: ResourceSpec, row: Row, context: RouteContext): void {
  const { state } = context;
  const drop = (name: TableName, doomed: (candidate: Row) => boolean): Row[] => {
    const rows = state.table(name).filter(doomed);
    for (const candidate of rows) state.remove(name, candidate.id as number);
    return rows;
  };
  if (spec.name === 'projects') for (const name of ['tasklists', 'tasks', 'entries'] as const) drop(name, (candidate) => candidate.project_id === row.id);
  if (spec.name === 'tasklists') {
    const tasks = new Set(drop('tasks', (candidate) => candidate.tasklist_id === row.id).map((task) => task.id));
    drop('entries', (candidate) => tasks.has(candidate.task_id as number));
  }
  if (spec.name === 'tasks') drop('entries', (candidate) => candidate.task_id === row.id);
}

function remove(spec: ResourceSpec) {
  return (context: RouteContext): HandlerResult => {
    const refused = unknownParam(context.query, []);
    if (refused) return refused;
    const row = findVisible(spec, context);
    if (!row) return notFound(spec);
    const problem = spec.check?.('delete', row, rules(context));
    if (problem) return refuse(problem);
    context.state.remove(spec.name as TableName, row.id as number);
    cascade(spec, row, context);
    if (spec.model) context.emit({ model: spec.model, action: 'delete', row: { id: row.id } });
    // "Delete returns 200 OK" (READ §3.4); the body is not documented: option deleteBody.
    return { status: 200, body: context.options.deleteBody === 'object' ? {} : undefined };
  };
}

/** @internal CRUD routes of one resource, as its docs section allows. */
export function resourceRoutes(name: ResourceName): Route[] {
  const spec = resources[name];
  const base = `/api/${name}`;
  const routes: Route[] = [
    { method: 'GET', pattern: base, handle: list(spec) },
    { method: 'GET', pattern: `${base}/:id`, handle: one(spec) },
  ];
  if (spec.writable) {
    routes.push(
      { method: 'POST', pattern: base, handle: create(spec) },
      { method: 'POST', pattern: `${base}/:id`, handle: update(spec) },
      { method: 'PUT', pattern: `${base}/:id`, handle: update(spec) },
      { method: 'DELETE', pattern: `${base}/:id`, handle: remove(spec) },
    );
  }
  return routes;
}
