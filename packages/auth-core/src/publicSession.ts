import type { PaymoUser } from './user.js';

/** How a request was authenticated. */
export type PaymoAuthStrategy = 'cookie' | 'session-header' | 'basic' | 'api-key';

/** The user fields safe to send to a browser. */
export type PaymoPublicUser = Pick<PaymoUser, 'id' | 'name' | 'email' | 'type'> & {
  timezone?: string;
  image?: string | null;
};

/**
 * The public view of a session: what `GET /auth/session` answers and what React sees.
 * It never contains a Paymo token or a session id.
 */
export interface PaymoPublicSession {
  user: PaymoPublicUser;
  /** ISO-8601: when this session ends (the earliest of Paymo's expiry, the max age and the idle timeout). */
  expiresAt: string;
  /** ISO-8601: when the user signed in. */
  createdAt: string;
  strategy: PaymoAuthStrategy;
  /**
   * Present (true) while Paymo could not confirm the session at its re-check time (outage or 429s):
   * it is served from what was last confirmed, within `session.revalidateGraceMs`.
   */
  degraded?: true;
}

/** One entry of `GET /auth/sessions`: a Paymo session described by an opaque handle, never its id. */
export interface PaymoSessionSummary {
  handle: string;
  ip: string;
  createdAt: string;
  expiresAt: string;
  current: boolean;
}
