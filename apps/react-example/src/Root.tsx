import { useState } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { PaymoAuthProvider } from '@paymo/auth-react';
import { App } from './App.js';

const WARN_BEFORE_MS = 5 * 60_000;

/** The providers: one QueryClient, the auth provider on the same-origin `/auth` routes. */
export function Root({ queryClient = new QueryClient() }: { queryClient?: QueryClient }) {
  const [client] = useState(queryClient);
  const [endsSoon, setEndsSoon] = useState<Date | null>(null);
  return (
    <QueryClientProvider client={client}>
      <PaymoAuthProvider
        basePath="/auth"
        warnBefore={WARN_BEFORE_MS}
        onExpiring={({ expiresAt }) => setEndsSoon(expiresAt)}
        onExpired={() => setEndsSoon(null)}
      >
        <App endsSoon={endsSoon} />
      </PaymoAuthProvider>
    </QueryClientProvider>
  );
}
