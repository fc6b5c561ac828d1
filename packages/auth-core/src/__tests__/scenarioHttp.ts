// HTTP helpers of the shared scenario suites (abuse/, proxy/): real requests to a running app.

/** What a scenario reads of an answer. */
export interface Answer {
  status: number;
  text: string;
  /** The parsed JSON body, or null when the body is empty or not JSON. */
  json: any;
  headers: Headers;
}

/** One request to `origin + path`; `ip` speaks for a client behind the app's trusted proxy. */
export async function send(
  app: { origin: string },
  path: string,
  init: { method?: string; json?: unknown; headers?: Record<string, string>; ip?: string; cookie?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
  if (init.ip) headers['x-forwarded-for'] = init.ip;
  if (init.cookie) headers.cookie = init.cookie;
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${app.origin}${path}`, {
    method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
    headers,
    ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
  });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: response.status, text, json, headers: response.headers };
}

/** `POST /auth/sign-in`, with the session cookie (`name=value`, '' when none was set). */
export async function signIn(app: { origin: string }, credentials: object, ip?: string): Promise<Answer & { cookie: string }> {
  const response = await fetch(`${app.origin}/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(ip ? { 'x-forwarded-for': ip } : {}) },
    body: JSON.stringify(credentials),
  });
  const cookie = (response.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
  const text = await response.text();
  return { status: response.status, text, json: text ? JSON.parse(text) : null, headers: response.headers, cookie };
}
