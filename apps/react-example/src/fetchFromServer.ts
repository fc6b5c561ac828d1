import { PaymoAuthError } from '@paymo/auth-react';
import type { PaymoAuthErrorCode } from '@paymo/auth-react';

/**
 * GET a list from one of our server's `/api/*` routes, which call Paymo with the user's session (the
 * browser never sees a Paymo token). `key` is the envelope key (`clients`, `projects`). Failures become
 * typed errors, like the auth routes'.
 */
export async function fetchFromServer<T>(path: string, key: string, signal?: AbortSignal): Promise<T[]> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { accept: 'application/json' }, credentials: 'same-origin', signal });
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new PaymoAuthError('UPSTREAM_UNAVAILABLE', 'The server could not be reached.', { status: 0, cause });
  }
  const body = (await response.json().catch(() => null)) as (Record<string, unknown> & { error?: { code?: string; message?: string } }) | null;
  const list = body?.[key];
  if (response.ok && Array.isArray(list)) return list as T[];
  const code = (body?.error?.code ?? (response.status === 401 ? 'MISSING_CREDENTIALS' : 'UPSTREAM_ERROR')) as PaymoAuthErrorCode;
  const retryAfter = Number(response.headers.get('retry-after')) || undefined;
  throw new PaymoAuthError(code, body?.error?.message ?? `The server answered ${response.status}.`, { status: response.status, retryAfter });
}
