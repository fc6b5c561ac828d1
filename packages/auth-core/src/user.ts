/** A Paymo user as `/api/me` and `/api/users` return it (the fields this library relies on, plus the rest). */
export interface PaymoUser {
  id: number;
  name: string;
  email: string;
  /** `Admin`, `Employee` or `Guest`. */
  type: 'Admin' | 'Employee' | 'Guest' | (string & {});
  active: boolean;
  timezone?: string;
  image?: string | null;
  [field: string]: unknown;
}

/** A Paymo session resource as `/api/sessions` returns it. Its `id` IS the token: never show it to a browser. */
export interface PaymoSessionResource {
  id: string;
  ip: string;
  expires_on: string;
  created_on: string;
  updated_on: string;
  user_id: number;
}
