import { PaymoAuthError } from '../errors.js';

/** A method the proxy can forward (Paymo's API uses these four). */
export type PaymoProxyMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * One allowed route of the Paymo proxy: `'GET projects'`, `'GET projects/:id'`, `'POST entries'`,
 * `'PUT tasks/:id'`, or the same as `{ method, path }`. Path segments are literals, `:name` (a numeric
 * id) or `*` (any one plain segment).
 */
export type PaymoProxyRule = string | { method: PaymoProxyMethod | PaymoProxyMethod[]; path: string };

/** Options of the Paymo proxy (`ANY {basePath}/paymo/<path>`). */
export interface PaymoProxyOptions {
  /** What the browser may reach, as the signed-in user. Nothing by default. */
  allow: PaymoProxyRule[];
}

/** A rule after validation. */
export interface CompiledProxyRule {
  methods: ReadonlySet<string>;
  segments: readonly string[];
}

const methods: ReadonlySet<string> = new Set(['GET', 'POST', 'PUT', 'DELETE']);
/** A path segment the proxy forwards: letters, digits, `_` and `-` only (no dots, no encodings). */
export const plainSegment = /^[A-Za-z0-9_-]{1,64}$/;

function configError(message: string): PaymoAuthError {
  return new PaymoAuthError('CONFIG_ERROR', `createPaymoAuth: proxy.allow: ${message}`);
}

function compile(rule: PaymoProxyRule): CompiledProxyRule {
  let ruleMethods: string[];
  let path: string;
  if (typeof rule === 'string') {
    const match = /^([A-Za-z]+)\s+(\S+)$/.exec(rule.trim());
    if (!match) throw configError(`${JSON.stringify(rule)} must look like "GET projects/:id".`);
    ruleMethods = [match[1]!.toUpperCase()];
    path = match[2]!;
  } else if (typeof rule === 'object' && rule !== null && typeof rule.path === 'string') {
    ruleMethods = (Array.isArray(rule.method) ? rule.method : [rule.method]).map((method) => String(method).toUpperCase());
    path = rule.path;
  } else {
    throw configError('each rule is a string like "GET projects" or { method, path }.');
  }
  for (const method of ruleMethods) if (!methods.has(method)) throw configError(`method ${method} is not one of GET, POST, PUT, DELETE.`);
  const segments = path.replace(/^\/+/, '').split('/');
  for (const segment of segments) {
    if (segment !== '*' && !plainSegment.test(segment) && !/^:[A-Za-z_][A-Za-z0-9_]*$/.test(segment)) {
      throw configError(`path ${JSON.stringify(path)}: segments are plain names, ":id" or "*".`);
    }
  }
  if (isUnproxyable(segments[0]!)) {
    throw configError(`path ${JSON.stringify(path)}: Paymo's sessions are never proxied (a session id is its token).`);
  }
  return { methods: new Set(ruleMethods), segments: segments.map((segment) => (segment.startsWith(':') ? ':' : segment)) };
}

/** Validates the proxy option at start-up (CONFIG_ERROR naming the bad rule). */
export function compileProxyAllowList(options: PaymoProxyOptions | undefined): readonly CompiledProxyRule[] {
  if (options === undefined) return [];
  if (typeof options !== 'object' || options === null || !Array.isArray(options.allow)) {
    throw new PaymoAuthError('CONFIG_ERROR', 'createPaymoAuth: proxy must be { allow: [...] }.');
  }
  return options.allow.map(compile);
}

/**
 * Paths never forwarded, whatever the list says: `GET /api/sessions` lists the ids of the user's
 * Paymo sessions, and an id is the token itself (DESIGN.md section 4).
 */
function isUnproxyable(firstSegment: string): boolean {
  return firstSegment.toLowerCase() === 'sessions';
}

/** True when `method` on these (already validated) path segments is on the list. */
export function isProxyAllowed(rules: readonly CompiledProxyRule[], method: string, segments: readonly string[]): boolean {
  if (isUnproxyable(segments[0]!)) return false;
  return rules.some(
    (rule) =>
      rule.methods.has(method) &&
      rule.segments.length === segments.length &&
      rule.segments.every((pattern, i) => pattern === '*' || (pattern === ':' ? /^[0-9]{1,18}$/.test(segments[i]!) : pattern === segments[i])),
  );
}
