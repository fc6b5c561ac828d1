import { PaymoAuthError } from '@paymo/auth-react';
import type { PaymoAuthErrorCode } from '@paymo/auth-react';

/** A Paymo client (a customer of the signed-in user's company), as the server passes it on. */
export interface PaymoClientRecord {
  id: number;
  name: string;
  email?: string | null;
  city?: string | null;
  active?: boolean;
}

/**
 * `GET /api/clients` on our server, which calls Paymo with the user's session (the browser never sees
 * a Paymo token). Failures become typed errors, like the auth routes'.
 */
export async function fetchClients(signal?: AbortSignal): Promise<PaymoClientRecord[]> {
  let response: Response;
  try {
    response = await fetch('/api/clients', { headers: { accept: 'application/json' }, credentials: 'same-origin', signal });
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new PaymoAuthError('UPSTREAM_UNAVAILABLE', 'The server could not be reached.', { status: 0, cause });
  }
  const body = (await response.json().catch(() => null)) as { clients?: PaymoClientRecord[]; error?: { code?: string; message?: string } } | null;
  if (response.ok && Array.isArray(body?.clients)) return body.clients;
  const code = (body?.error?.code ?? (response.status === 401 ? 'MISSING_CREDENTIALS' : 'UPSTREAM_ERROR')) as PaymoAuthErrorCode;
  const retryAfter = Number(response.headers.get('retry-after')) || undefined;
  throw new PaymoAuthError(code, body?.error?.message ?? `The server answered ${response.status}.`, { status: response.status, retryAfter });
}
