// Resource shapes exactly as the fake serves them (field names and types from paymo-api.md §2.5, §2.7,
// §6.2). Every field but `id` may be absent in real Paymo responses, so only the ones the fake always
// sends are required here.

/**
 * A Paymo user as returned inside `{"users":[...]}` (paymo-api.md §2.7). `password` is write-only in
 * Paymo and is never part of this shape.
 */
export interface PaymoUser {
  id: number;
  name: string;
  email: string;
  type: 'Admin' | 'Employee' | 'Guest';
  active: boolean;
  timezone?: string;
  phone?: string;
  skype?: string | null;
  position?: string;
  workday_hours?: number;
  price_per_hour?: number;
  created_on?: string;
  updated_on?: string;
  image?: string | null;
  image_thumb_large?: string | null;
  image_thumb_medium?: string | null;
  image_thumb_small?: string | null;
  date_format?: string;
  time_format?: string;
  decimal_sep?: string;
  thousands_sep?: string;
  week_start?: string;
  language?: string;
  theme?: string;
  assigned_projects?: number[];
  managed_projects?: number[];
  is_online?: boolean;
  [field: string]: unknown;
}

/**
 * A Paymo session as returned inside `{"sessions":[...]}` (paymo-api.md §2.3, §2.5). `id` is the
 * token itself: 32 lowercase hex characters.
 */
export interface PaymoSession {
  id: string;
  ip: string;
  expires_on: string;
  created_on: string;
  updated_on: string;
  user_id: number;
}

/** The company object of `GET /api/company` (`{"company":{...}}`, a single object; paymo-api.md §6.2). */
export interface PaymoCompany {
  id: number;
  name: string;
  account_type?: 'free' | 'commercial';
  max_users?: number;
  current_users?: number;
  max_projects?: number | null;
  current_projects?: number;
  max_invoices?: number | null;
  current_invoices?: number;
  [field: string]: unknown;
}

/** A Paymo client (customer) as returned inside `{"clients":[...]}`. */
export interface PaymoClient {
  id: number;
  name: string;
  active: boolean;
  [field: string]: unknown;
}

/** A Paymo project inside `{"projects":[...]}` (fields of Paymo's projects.md). */
export interface PaymoProject {
  id: number;
  name: string;
  client_id?: number | null;
  active?: boolean;
  /** Ids of the users assigned (managers included). */
  users?: number[];
  managers?: number[];
  [field: string]: unknown;
}

/** A Paymo task list inside `{"tasklists":[...]}` (tasklists.md). */
export interface PaymoTasklist {
  id: number;
  name: string;
  project_id: number;
  [field: string]: unknown;
}

/** A Paymo task inside `{"tasks":[...]}` (tasks.md). */
export interface PaymoTask {
  id: number;
  name: string;
  project_id: number;
  tasklist_id: number;
  [field: string]: unknown;
}

/** A Paymo time entry inside `{"entries":[...]}` (entries.md). */
export interface PaymoEntry {
  id: number;
  task_id: number;
  user_id: number;
  project_id?: number;
  [field: string]: unknown;
}

/** A Paymo webhook inside `{"hooks":[...]}` (webhooks.md); its `secret` is write-only and never returned. */
export interface PaymoHook {
  id: number;
  target_url: string;
  event: string;
  where?: string;
  last_status_code?: number | null;
  [field: string]: unknown;
}
