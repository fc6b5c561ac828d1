import { formatPaymoDate } from './format.js';
import { whereSyntaxError } from './where.js';
import type { FakePaymoState, Row } from './state.js';
import type { PaymoUser } from './types.js';

/** @internal A field's documented type (the "Type" column of the object tables in Paymo's sections/*.md). */
export type FieldType = 'integer' | 'decimal' | 'text' | 'boolean' | 'list' | 'datetime' | 'date';

/** @internal */
export interface FieldSpec {
  type: FieldType;
  /** Documented _(read-only)_: ignored in a request body (INFERRED: clients send back what they read). */
  readOnly?: boolean;
  /** May be `null` (e.g. a running timer's `end_time`). */
  nullable?: boolean;
}

/** @internal A documented include key ("Dependent objects" tables). */
export interface Relation {
  resource: ResourceName;
  /** parent: `row[key]` holds the related id; child: related rows whose `[key]` is this row's id. */
  kind: 'parent' | 'child';
  key: string;
}

/** @internal The resources served by the generic engine. */
export type ResourceName = 'projects' | 'tasklists' | 'tasks' | 'entries' | 'clients' | 'users' | 'hooks';

/** @internal A refusal from a permission or consistency rule. */
export interface Refusal {
  status: number;
  message: string;
}

/** @internal What a resource's rules see. */
export interface RuleContext {
  state: FakePaymoState;
  user: PaymoUser;
  now: number;
}

/** @internal How the fake serves one Paymo resource. */
export interface ResourceSpec {
  name: ResourceName;
  /** Model name in webhook events (`model.insert.Task`). */
  model?: string;
  fields: Record<string, FieldSpec>;
  /** Create needs every field of at least one group (docs' "Required fields"). */
  required: string[][];
  relations: Record<string, Relation>;
  /** Which verbs exist besides GET. */
  writable: boolean;
  /** Fields never returned (write-only, like a hook's `secret`). */
  hidden?: string[];
  /**
   * A filter `where` cannot express as a field comparison (entries' `time_interval in ("from","to")`):
   * takes it out of the text and returns what is left plus the row test, or a 400 message.
   */
  whereSpecial?: (where: string) => { rest: string; keep: (row: Row) => boolean } | { error: string };
  /** Extra fields `where` may filter on (e.g. entries by `client_id`), and how to compute them. */
  filterFields?: string[];
  filterView?: (row: Row, context: RuleContext) => Row;
  /** Whether the user may see the row at all (an unseen row is a 404). */
  canSee: (row: Row, context: RuleContext) => boolean;
  /** A 403 for a write the user may not make, or a 400/409 for a write that breaks a rule. */
  check?: (action: 'insert' | 'update' | 'delete', row: Row, context: RuleContext, before?: Row) => Refusal | undefined;
  /** Fills server-side fields on create and update (ids of parents, durations, ...). */
  complete?: (row: Row, context: RuleContext, action: 'insert' | 'update', before?: Row) => Refusal | undefined;
}

const F = (type: FieldType, extra: Omit<FieldSpec, 'type'> = {}): FieldSpec => ({ type, ...extra });
const ro = (type: FieldType): FieldSpec => F(type, { readOnly: true });
const stamps = { created_on: ro('datetime'), updated_on: ro('datetime') };

const isAdmin = (user: PaymoUser) => user.type === 'Admin';
const forbidden: Refusal = { status: 403, message: 'Forbidden' };

/** A project the user may see: Admins see all, Employees and Guests the ones they are assigned to (READ users.md). */
export function projectVisible(project: Row | undefined, user: PaymoUser): boolean {
  if (!project) return false;
  return isAdmin(user) || ((project.users as number[] | undefined) ?? []).includes(user.id);
}

function projectOf(row: Row, state: FakePaymoState): Row | undefined {
  return state.find('projects', row.project_id as number);
}

const projects: ResourceSpec = {
  name: 'projects',
  model: 'Project',
  writable: true,
  fields: {
    id: ro('integer'),
    name: F('text'),
    code: F('text'),
    task_code_increment: ro('integer'),
    description: F('text'),
    client_id: F('integer'),
    status_id: F('integer', { nullable: true }),
    active: F('boolean'),
    color: F('text'),
    users: F('list'),
    managers: F('list'),
    billable: F('boolean'),
    flat_billing: F('boolean'),
    price_per_hour: F('decimal', { nullable: true }),
    price: F('decimal', { nullable: true }),
    estimated_price: F('decimal', { nullable: true }),
    hourly_billing_mode: F('text', { nullable: true }),
    budget_hours: F('decimal', { nullable: true }),
    adjustable_hours: F('boolean'),
    invoiced: F('boolean'),
    invoice_item_id: F('integer', { nullable: true }),
    workflow_id: F('integer', { nullable: true }),
    ...stamps,
  },
  required: [['name']],
  relations: {
    client: { resource: 'clients', kind: 'parent', key: 'client_id' },
    tasklists: { resource: 'tasklists', kind: 'child', key: 'project_id' },
    tasks: { resource: 'tasks', kind: 'child', key: 'project_id' },
  },
  canSee: (row, { user }) => projectVisible(row, user),
  check(action, row, { state, user }, before) {
    if (action === 'insert') {
      if (!isAdmin(user)) return forbidden;
      const { max_projects: max } = state.company;
      const active = state.table('projects').filter((project) => project.active !== false).length;
      if (typeof max === 'number' && active >= max) return { status: 403, message: 'Adding projects denied. Projects limit reached.' };
      return undefined;
    }
    // "403 Forbidden if the user doesn't have rights to update the project" (READ projects.md): Admins and the project's managers.
    const managers = ((before ?? row).managers as number[] | undefined) ?? [];
    return isAdmin(user) || managers.includes(user.id) ? undefined : forbidden;
  },
  complete(row, { state, now }, action) {
    // "if client_id is not specified a Sample Client will be created automatically" (READ projects.md).
    if (action === 'insert' && (row.client_id === undefined || row.client_id === null)) {
      const sample = state.table('clients').find((client) => client.name === 'Sample Client');
      row.client_id = (sample ?? state.insert('clients', { name: 'Sample Client', active: true }, now)).id;
    }
    row.active ??= true;
    row.users ??= [];
    row.managers ??= [];
    if (row.client_id !== undefined && row.client_id !== null && !state.find('clients', row.client_id as number)) {
      return { status: 400, message: `Unknown client_id ${String(row.client_id)}` };
    }
    const managers = (row.managers as number[] | undefined) ?? [];
    const users = (row.users as number[] | undefined) ?? [];
    // "users ... contains also the ids of the managers" (READ projects.md).
    row.users = [...new Set([...users, ...managers])];
    for (const id of row.users as number[]) if (!state.users.has(id)) return { status: 400, message: `Unknown user id ${id}` };
    return undefined;
  },
};

/** Task lists and tasks: whoever is on the project may change them, Guests may not (INFERRED). */
function projectMember(row: Row, { state, user }: RuleContext): Refusal | undefined {
  const project = projectOf(row, state);
  if (!projectVisible(project, user)) return { status: 404, message: 'Project not found' };
  return user.type === 'Guest' ? forbidden : undefined;
}

const tasklists: ResourceSpec = {
  name: 'tasklists',
  model: 'Tasklist',
  writable: true,
  fields: {
    id: ro('integer'),
    name: F('text'),
    seq: F('integer'),
    project_id: F('integer'),
    milestone_id: F('integer', { nullable: true }),
    ...stamps,
  },
  required: [['name', 'project_id']],
  relations: {
    project: { resource: 'projects', kind: 'parent', key: 'project_id' },
    tasks: { resource: 'tasks', kind: 'child', key: 'tasklist_id' },
  },
  canSee: (row, { state, user }) => projectVisible(projectOf(row, state), user),
  check: (_action, row, context) => projectMember(row, context),
  complete(row, { state }, action, before) {
    // project_id is documented read-only once created.
    if (action === 'update' && before) row.project_id = before.project_id;
    if (!state.find('projects', row.project_id as number)) return { status: 400, message: `Unknown project_id ${String(row.project_id)}` };
    if (row.seq === undefined) row.seq = state.table('tasklists').filter((list) => list.project_id === row.project_id).length;
    return undefined;
  },
};

const tasks: ResourceSpec = {
  name: 'tasks',
  model: 'Task',
  writable: true,
  fields: {
    id: ro('integer'),
    name: F('text'),
    code: ro('text'),
    project_id: F('integer'),
    tasklist_id: F('integer'),
    seq: F('integer'),
    description: F('text'),
    complete: F('boolean'),
    completed_on: F('datetime', { readOnly: true, nullable: true }),
    completed_by: F('integer', { readOnly: true, nullable: true }),
    due_date: F('date', { nullable: true }),
    user_id: F('integer'),
    users: F('list'),
    billable: F('boolean'),
    flat_billing: F('boolean'),
    price_per_hour: F('decimal', { nullable: true }),
    budget_hours: F('decimal', { nullable: true }),
    estimated_price: F('decimal', { nullable: true }),
    invoiced: F('boolean'),
    invoice_item_id: F('integer', { nullable: true }),
    priority: F('integer'),
    status_id: F('integer', { nullable: true }),
    ...stamps,
  },
  required: [['name', 'tasklist_id'], ['name', 'project_id']],
  relations: {
    project: { resource: 'projects', kind: 'parent', key: 'project_id' },
    tasklist: { resource: 'tasklists', kind: 'parent', key: 'tasklist_id' },
    user: { resource: 'users', kind: 'parent', key: 'user_id' },
    entries: { resource: 'entries', kind: 'child', key: 'task_id' },
  },
  canSee: (row, { state, user }) => projectVisible(projectOf(row, state), user),
  check: (_action, row, context) => projectMember(row, context),
  complete(row, context, action, before) {
    const { state, user, now } = context;
    if (action === 'update' && before) row.project_id = before.project_id;
    if (row.tasklist_id !== undefined) {
      const list = state.find('tasklists', row.tasklist_id as number);
      if (!list) return { status: 400, message: `Unknown tasklist_id ${String(row.tasklist_id)}` };
      if (action === 'update' && list.project_id !== row.project_id) return { status: 400, message: 'tasklist_id must be a task list of the same project' };
      row.project_id = list.project_id;
    } else {
      // "When project_id is provided and tasklist_id is not, the task will be added to the Default Task List" (READ tasks.md).
      if (!state.find('projects', row.project_id as number)) return { status: 400, message: `Unknown project_id ${String(row.project_id)}` };
      let list = state.table('tasklists').find((candidate) => candidate.project_id === row.project_id && candidate.name === 'Default Task List');
      list ??= state.insert('tasklists', { name: 'Default Task List', project_id: row.project_id, seq: 0, milestone_id: null }, now);
      row.tasklist_id = list.id;
    }
    row.user_id ??= user.id;
    row.users ??= [];
    row.complete ??= false;
    if (action === 'insert') {
      const project = state.find('projects', row.project_id as number)!;
      project.task_code_increment = Number(project.task_code_increment ?? 0) + 1;
      row.code = `${String(project.code ?? 'T')}-${String(project.task_code_increment)}`;
    }
    if (row.complete === true && before?.complete !== true) {
      row.completed_on = formatPaymoDate(now);
      row.completed_by = user.id;
    }
    return undefined;
  },
};

/** Whether an entry's user is the current one, or the current user is an Admin (INFERRED). */
function entryRule(action: 'insert' | 'update' | 'delete', row: Row, { state, user }: RuleContext, before?: Row): Refusal | undefined {
  const task = state.find('tasks', row.task_id as number);
  if (!task) return action === 'delete' ? undefined : { status: 400, message: `Unknown task_id ${String(row.task_id)}` };
  if (!projectVisible(state.find('projects', task.project_id as number), user)) return { status: 404, message: 'Task not found' };
  if (user.type === 'Guest') return forbidden;
  if (!isAdmin(user) && (row.user_id !== user.id || (before && before.user_id !== user.id))) return forbidden;
  if (action === 'delete') return undefined;
  // "Any user can have at most only one timer started at any time ... the request will fail with a 409" (READ entries.md).
  if (row.end_time === null && (!before || before.end_time !== null)) {
    const running = state.table('entries').some((entry) => entry.user_id === row.user_id && entry.end_time === null && entry.id !== row.id);
    if (running) return { status: 409, message: 'A timer is already running for this user' };
  }
  return undefined;
}

const entries: ResourceSpec = {
  name: 'entries',
  model: 'Entry',
  writable: true,
  fields: {
    id: ro('integer'),
    project_id: ro('integer'),
    task_id: F('integer'),
    user_id: F('integer'),
    is_bulk: ro('boolean'),
    start_time: F('datetime'),
    end_time: F('datetime', { nullable: true }),
    date: F('date'),
    duration: F('integer'),
    description: F('text'),
    added_manually: ro('boolean'),
    billed: F('boolean'),
    invoice_item_id: F('integer', { nullable: true }),
    ...stamps,
  },
  // "task_id, (date and duration) or (start_time and end_time)" (READ); a timer is start_time alone.
  required: [['task_id', 'date', 'duration'], ['task_id', 'start_time']],
  relations: {
    task: { resource: 'tasks', kind: 'parent', key: 'task_id' },
    user: { resource: 'users', kind: 'parent', key: 'user_id' },
  },
  filterFields: ['client_id'],
  whereSpecial(where) {
    // "/api/entries?where=time_interval in ("2014-12-01T00:00:00Z","2015-01-01T00:00:00Z")" (READ entries.md).
    const match = /(^|\s+and\s+)time_interval\s+in\s*\(\s*"([^"]*)"\s*,\s*"([^"]*)"\s*\)(\s+and\s+|$)/i.exec(where);
    if (!match) return /time_interval/.test(where) ? { error: 'time_interval takes in ("<from datetime>","<to datetime>")' } : { rest: where, keep: () => true };
    const [from, to] = [Date.parse(match[2]!), Date.parse(match[3]!)];
    if (Number.isNaN(from) || Number.isNaN(to)) return { error: 'time_interval takes two datetimes' };
    const rest = `${where.slice(0, match.index)}${match[1] && match[4] ? ' and ' : ''}${where.slice(match.index + match[0].length)}`;
    return {
      rest,
      keep(row) {
        // A bulk entry is on its date; a timed one from start to end (a running timer: until now).
        const start = Date.parse(String(row.start_time ?? `${String(row.date)}T00:00:00Z`));
        const end = row.is_bulk ? start : row.end_time ? Date.parse(String(row.end_time)) : Number.POSITIVE_INFINITY;
        return start < to && end >= from;
      },
    };
  },
  filterView(row, { state }) {
    // "/api/entries?where=client_id=[CLIENT_ID]" (READ entries.md): the client of the entry's project.
    return { ...row, client_id: state.find('projects', row.project_id as number)?.client_id ?? null };
  },
  canSee: (row, { state, user }) => projectVisible(projectOf(row, state), user),
  check: entryRule,
  complete(row, { state, user }, action, before) {
    row.user_id ??= user.id;
    if (!state.users.has(row.user_id as number)) return { status: 400, message: `Unknown user_id ${String(row.user_id)}` };
    const task = state.find('tasks', row.task_id as number);
    if (!task) return { status: 400, message: `Unknown task_id ${String(row.task_id)}` };
    row.project_id = task.project_id;
    const bulk = action === 'insert' ? row.start_time === undefined : before?.is_bulk === true;
    if (action === 'update' && !bulk && 'duration' in row && row.duration !== before?.duration) {
      return { status: 400, message: 'duration can only be changed on entries added with date and duration; update end_time' };
    }
    row.is_bulk = bulk;
    if (bulk) {
      delete row.start_time;
      delete row.end_time;
    } else {
      // "start_time and end_time are not present for entries with date and duration", and the reverse (READ).
      delete row.date;
      delete row.duration;
      row.end_time ??= null;
      if (row.end_time !== null) {
        const seconds = (Date.parse(row.end_time as string) - Date.parse(row.start_time as string)) / 1000;
        // "the minimal time entry duration is 1 minute" (READ entries.md).
        if (!(seconds >= 60)) return { status: 400, message: 'A time entry must last at least 1 minute' };
      }
    }
    if (action === 'insert') row.added_manually = bulk || row.end_time !== null;
    row.billed ??= false;
    row.description ??= '';
    return undefined;
  },
};

const clients: ResourceSpec = {
  name: 'clients',
  model: 'Client',
  writable: true,
  fields: {
    id: ro('integer'),
    name: F('text'),
    address: F('text'),
    city: F('text'),
    state: F('text'),
    postal_code: F('text'),
    country: F('text'),
    phone: F('text'),
    fax: F('text'),
    email: F('text'),
    website: F('text'),
    active: F('boolean'),
    fiscal_information: F('text'),
    image: F('text', { nullable: true }),
    ...stamps,
  },
  required: [['name']],
  relations: { projects: { resource: 'projects', kind: 'child', key: 'client_id' } },
  // Every user sees all clients (INFERRED); only Admins change them (INFERRED).
  canSee: () => true,
  check: (_action, _row, { user }) => (isAdmin(user) ? undefined : forbidden),
  complete(row) {
    row.active ??= true;
    return undefined;
  },
};

const users: ResourceSpec = {
  name: 'users',
  model: 'User',
  writable: false,
  fields: {},
  required: [],
  relations: {},
  canSee: () => true,
};

/** Events a hook may name (READ webhooks.md). */
export const WEBHOOK_MODELS = [
  'Client', 'ClientContact', 'Project', 'Tasklist', 'Task', 'Invoice', 'InvoicePayment', 'Entry', 'Milestone', 'Report',
  'Expense', 'Estimate', 'Comment', 'User', 'Booking',
];
const EVENT = new RegExp(`^(\\*|model\\.(insert|update|delete)\\.(\\*|${WEBHOOK_MODELS.join('|')})|model\\.(start|stop)\\.Entry|\\*\\.(${WEBHOOK_MODELS.join('|')}))$`);

const hooks: ResourceSpec = {
  name: 'hooks',
  writable: true,
  fields: {
    id: ro('integer'),
    target_url: F('text'),
    last_status_code: ro('integer'),
    event: F('text'),
    where: F('text'),
    secret: F('text'),
    ...stamps,
  },
  required: [['target_url', 'event']],
  relations: {},
  hidden: ['secret', 'owner_id'],
  // "GET /api/hooks lists your own webhooks" (READ webhooks.md).
  canSee: (row, { user }) => row.owner_id === user.id,
  complete(row, { user }, action) {
    if (action === 'insert') row.owner_id = user.id;
    let url: URL;
    try {
      url = new URL(String(row.target_url));
    } catch {
      return { status: 400, message: 'target_url must be an absolute http(s) URL' };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { status: 400, message: 'target_url must be an absolute http(s) URL' };
    if (!EVENT.test(String(row.event))) return { status: 400, message: `Unknown event ${String(row.event).slice(0, 80)}` };
    row.where ??= '';
    // A `where` the fake cannot parse would silently never match: refuse it now (INFERRED).
    const problem = whereSyntaxError(String(row.where));
    if (problem) return { status: 400, message: problem };
    // "last_response_code is reset on update" (READ webhooks.md, which names the field last_status_code elsewhere).
    row.last_status_code = null;
    return undefined;
  },
};

/** @internal Every resource the generic engine serves, by name. */
export const resources: Record<ResourceName, ResourceSpec> = { projects, tasklists, tasks, entries, clients, users, hooks };
