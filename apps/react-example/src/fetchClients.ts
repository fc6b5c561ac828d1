import { fetchFromServer } from './fetchFromServer.js';

/** A Paymo client (a customer of the signed-in user's company), as the server passes it on. */
export interface PaymoClientRecord {
  id: number;
  name: string;
  email?: string | null;
  city?: string | null;
  active?: boolean;
}

/** `GET /api/clients` on our server, which calls Paymo with the user's session. */
export function fetchClients(signal?: AbortSignal): Promise<PaymoClientRecord[]> {
  return fetchFromServer<PaymoClientRecord>('/api/clients', 'clients', signal);
}
