import { SignedIn, SignedOut, usePaymoSession } from '@paymo/auth-react';
import { Account } from './Account.js';
import { ClientsList } from './ClientsList.js';
import { ProjectsList } from './ProjectsList.js';
import { SessionsList } from './SessionsList.js';
import { SignInForm } from './SignInForm.js';
import { describeError } from './describeError.js';

export function App({ endsSoon }: { endsSoon: Date | null }) {
  const { status, error, session, refetch } = usePaymoSession();
  if (status === 'loading') {
    return (
      <main>
        <p role="status" data-testid="auth-loading">
          Checking your session…
        </p>
      </main>
    );
  }
  return (
    <main>
      <h1>Paymo · React example</h1>
      {status === 'degraded' && error && (
        <p role="alert" className="banner warning" data-testid="degraded-banner">
          {describeError(error)} {session ? 'You are still signed in.' : ''}{' '}
          <button type="button" onClick={() => void refetch()}>
            Try again
          </button>
        </p>
      )}
      <SignedOut>
        {status === 'unauthenticated' && error && (
          <p role="alert" className="banner" data-testid="session-notice">
            {describeError(error)}
          </p>
        )}
        <SignInForm />
      </SignedOut>
      <SignedIn>
        {endsSoon && (
          <p role="alert" className="banner warning" data-testid="expiring-banner">
            Your session ends at {endsSoon.toLocaleTimeString()}. Paymo sessions cannot be extended: save your work, then
            sign in again.
          </p>
        )}
        <Account />
        <ProjectsList />
        <ClientsList />
        <SessionsList />
      </SignedIn>
    </main>
  );
}
