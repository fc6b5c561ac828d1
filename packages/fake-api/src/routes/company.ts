import { parseBody } from '../body.js';
import { fakeError } from '../errors.js';
import { formatPaymoDate } from '../format.js';
import type { HandlerResult, Route, RouteContext } from '../router.js';
import type { PaymoCompany } from '../types.js';

// Fields of company.md's object table; the _(read-only)_ ones are ignored in an update (INFERRED).
const WRITABLE = [
  'name', 'address', 'phone', 'email', 'url', 'fiscal_information', 'country', 'image', 'timezone', 'default_currency',
  'default_price_per_hour', 'apply_tax_to_expenses', 'tax_on_tax', 'currency_position', 'next_invoice_number',
  'next_estimate_number', 'online_payments', 'date_format', 'time_format', 'decimal_sep', 'thousands_sep', 'week_start',
  'workday_start', 'workday_end', 'working_days',
];
const READ_ONLY = [
  'id', 'image_thumb_large', 'image_thumb_medium', 'image_thumb_small', 'created_on', 'updated_on', 'account_type', 'max_users',
  'current_users', 'max_projects', 'current_projects', 'max_invoices', 'current_invoices',
];

/** The company with its live counters: active non-Guest users (READ: Guests do not count) and active projects. */
function company(context: RouteContext): PaymoCompany {
  const { state } = context;
  const shown = structuredClone(state.company);
  // Counters the seed's company has are kept live; a seed without them gets none.
  if ('current_users' in shown) shown.current_users = [...state.users.values()].filter((user) => user.active && user.type !== 'Guest').length;
  if ('current_projects' in shown) shown.current_projects = state.table('projects').filter((project) => project.active !== false).length;
  return shown;
}

function update(context: RouteContext): HandlerResult {
  if ([...context.query.keys()].length > 0) return fakeError(400, 'bad_request', 'Unknown query parameter');
  // Company settings are an Admin's (INFERRED; the docs list no permissions for them).
  if (context.auth.user.type !== 'Admin') return fakeError(403, 'forbidden', 'Forbidden');
  const parsed = parseBody(context.body, context.contentType);
  if (!parsed.ok) return fakeError(400, 'bad_request', parsed.message);
  for (const [name, value] of Object.entries(parsed.fields)) {
    if (READ_ONLY.includes(name)) continue;
    if (!WRITABLE.includes(name)) return fakeError(400, 'bad_request', `Unknown field: ${name.slice(0, 60)}`);
    if (typeof value !== 'string' && !(name === 'image' && value === null)) return fakeError(400, 'bad_request', `Invalid value for ${name}: expected text`);
    context.state.company[name] = value;
  }
  context.state.company.updated_on = formatPaymoDate(context.now);
  return { status: 200, body: { company: company(context) } };
}

/** `GET /api/company` (a single object, not an array: paymo-api.md §3.2, READ); POST or PUT updates it (READ company.md). */
export const companyRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/api/company',
    handle: (context) =>
      [...context.query.keys()].length > 0 ? fakeError(400, 'bad_request', 'Unknown query parameter') : { status: 200, body: { company: company(context) } },
  },
  { method: 'POST', pattern: '/api/company', handle: update },
  { method: 'PUT', pattern: '/api/company', handle: update },
];
