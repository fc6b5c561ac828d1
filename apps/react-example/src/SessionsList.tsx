import { usePaymoSessions } from '@paymo/auth-react';
import { describeError } from './describeError.js';

/** The user's Paymo sessions, by opaque handle: where and when, and which one is this browser. */
export function SessionsList() {
  const sessions = usePaymoSessions();
  return (
    <section className="card" aria-label="Your sessions">
      <h2>Your Paymo sessions</h2>
      {sessions.isPending && <p role="status">Loading sessions…</p>}
      {sessions.error && (
        <p role="alert" className="error">
          {describeError(sessions.error)}
        </p>
      )}
      {sessions.data && (
        <ul data-testid="sessions-list">
          {sessions.data.map((session) => (
            <li key={session.handle} data-testid="session">
              {session.ip} · signed in {new Date(session.createdAt).toLocaleString()} · ends{' '}
              {new Date(session.expiresAt).toLocaleString()}
              {session.current && <strong> (this browser)</strong>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
