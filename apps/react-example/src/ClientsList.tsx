import { useEffect } from 'react';
import { useQuery } from '@tanstack/react-query';
import { usePaymoSession } from '@paymo/auth-react';
import type { PaymoAuthError } from '@paymo/auth-react';
import { describeError } from './describeError.js';
import { fetchClients } from './fetchClients.js';
import type { PaymoClientRecord } from './fetchClients.js';

/**
 * Data from Paymo fetched through our server with the user's cookie. The query key needs no user id:
 * the auth provider removes every cached query when the user changes or signs out.
 */
export function ClientsList() {
  const { refetch: refetchSession } = usePaymoSession();
  const clients = useQuery<PaymoClientRecord[], PaymoAuthError>({ queryKey: ['paymo', 'clients'], queryFn: ({ signal }) => fetchClients(signal), retry: false });
  const status = clients.error?.status;

  // A 401 here means the session ended on the server: ask the auth routes, so the UI follows.
  useEffect(() => {
    if (status === 401) void refetchSession();
  }, [status, refetchSession]);

  return (
    <section className="card" aria-label="Paymo clients">
      <h2>Your Paymo clients</h2>
      {clients.isPending && <p role="status">Loading clients…</p>}
      {clients.error && (
        <p role="alert" className="error" data-testid="clients-error">
          {describeError(clients.error)}{' '}
          <button type="button" onClick={() => void clients.refetch()}>
            Try again
          </button>
        </p>
      )}
      {clients.data && clients.data.length === 0 && <p>No clients yet.</p>}
      {clients.data && clients.data.length > 0 && (
        <ul data-testid="clients-list">
          {clients.data.map((client) => (
            <li key={client.id} data-testid="client">
              {client.name}
              {client.city ? <span className="muted"> · {client.city}</span> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
