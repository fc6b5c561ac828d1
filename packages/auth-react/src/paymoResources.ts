// Types of the Paymo resources a signed-in page typically shows, as Paymo documents them (the fields
// listed are the documented ones most apps read; every resource may carry more).

/** A Paymo project. */
export interface PaymoProject {
  id: number;
  name: string;
  code?: string;
  description?: string;
  client_id?: number | null;
  active?: boolean;
  color?: string;
  users?: number[];
  managers?: number[];
  billable?: boolean;
  budget_hours?: number | null;
  created_on?: string;
  updated_on?: string;
  tasklists?: PaymoTaskList[];
  tasks?: PaymoTask[];
  [field: string]: unknown;
}

/** A Paymo task list. */
export interface PaymoTaskList {
  id: number;
  name: string;
  project_id: number;
  seq?: number;
  tasks?: PaymoTask[];
  [field: string]: unknown;
}

/** A Paymo task. */
export interface PaymoTask {
  id: number;
  name: string;
  project_id: number;
  tasklist_id?: number;
  complete?: boolean;
  description?: string;
  due_date?: string | null;
  users?: number[];
  billable?: boolean;
  entries?: PaymoTimeEntry[];
  [field: string]: unknown;
}

/** A Paymo time entry. */
export interface PaymoTimeEntry {
  id: number;
  task_id: number;
  user_id: number;
  start_time?: string;
  end_time?: string | null;
  duration?: number;
  description?: string;
  billed?: boolean;
  [field: string]: unknown;
}

/** A Paymo client (the customer, not an API client). */
export interface PaymoClientResource {
  id: number;
  name: string;
  email?: string;
  active?: boolean;
  [field: string]: unknown;
}

/** A Paymo user, as lists show them. */
export interface PaymoUserResource {
  id: number;
  name: string;
  email: string;
  type: string;
  active?: boolean;
  [field: string]: unknown;
}

/** The Paymo company. */
export interface PaymoCompany {
  id: number;
  name: string;
  [field: string]: unknown;
}

/** Paymo's envelope of each documented resource. */
export interface PaymoResourceEnvelopes {
  projects: { projects: PaymoProject[] };
  tasklists: { tasklists: PaymoTaskList[] };
  tasks: { tasks: PaymoTask[] };
  entries: { entries: PaymoTimeEntry[] };
  clients: { clients: PaymoClientResource[] };
  users: { users: PaymoUserResource[] };
  company: { company: PaymoCompany };
  me: { users: PaymoUserResource[] };
}

/**
 * The JSON a proxied `GET <path>` resolves: Paymo's envelope for the documented resources
 * (`'projects'`, `'projects/12'`, ...), `unknown` for anything else.
 */
export type PaymoResult<Path extends string> = Path extends `${infer Resource}/${string}`
  ? Resource extends keyof PaymoResourceEnvelopes
    ? PaymoResourceEnvelopes[Resource]
    : unknown
  : Path extends keyof PaymoResourceEnvelopes
    ? PaymoResourceEnvelopes[Path]
    : unknown;
