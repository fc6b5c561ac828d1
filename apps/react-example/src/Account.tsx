import { useState } from 'react';
import { usePaymoSession } from '@paymo/auth-react';
import { describeError } from './describeError.js';
import { formatDuration } from './formatDuration.js';

/** Who is signed in, when the session ends (live), and the two ways out. */
export function Account() {
  const { user, expiresAt, expiresIn, signOut, signOutEverywhere } = usePaymoSession();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  if (!user || !expiresAt) return null;

  const run = async (action: () => Promise<{ error: Parameters<typeof describeError>[0] | null }>) => {
    setBusy(true);
    setProblem(null);
    const { error } = await action();
    setBusy(false);
    if (error) setProblem(`Could not sign out. ${describeError(error)}`);
  };

  return (
    <section className="card" data-testid="signed-in-user" aria-label="Your account">
      <h2>
        Signed in as <span data-testid="user-name">{user.name}</span>
      </h2>
      <p>
        <span data-testid="user-email">{user.email}</span> · {user.type}
      </p>
      <p>
        Session ends in <strong data-testid="session-expires-in">{formatDuration(expiresIn ?? 0)}</strong>{' '}
        <span className="muted" data-testid="session-expires-at">
          ({expiresAt.toLocaleString()})
        </span>
      </p>
      <div className="actions">
        <button type="button" disabled={busy} onClick={() => void run(signOut)} data-testid="sign-out">
          Sign out
        </button>
        <button type="button" disabled={busy} onClick={() => void run(signOutEverywhere)} data-testid="sign-out-everywhere">
          Sign out everywhere
        </button>
      </div>
      {problem && (
        <p role="alert" className="error" data-testid="sign-out-error">
          {problem}
        </p>
      )}
    </section>
  );
}
