/**
 * The three ways Paymo authenticates an API call.
 *
 * - `basic`: the user's Paymo email and password (HTTP Basic).
 * - `apiKey`: an API key as the Basic username, any password.
 * - `session`: a session token sent in the `X-Session` header.
 */
export type PaymoCredential =
  | { type: 'basic'; email: string; password: string }
  | { type: 'apiKey'; apiKey: string }
  | { type: 'session'; token: string };
