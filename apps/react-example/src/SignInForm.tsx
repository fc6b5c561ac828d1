import { useState } from 'react';
import type { FormEvent } from 'react';
import { usePaymoSignIn } from '@paymo/auth-react';
import { demoHint } from './demoHint.js';
import { describeError } from './describeError.js';

type Mode = 'password' | 'apiKey';

/** Email and password, or a Paymo API key. The secret leaves the component's state on submit. */
export function SignInForm() {
  const signIn = usePaymoSignIn();
  const [mode, setMode] = useState<Mode>('password');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [apiKey, setApiKey] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate(mode === 'apiKey' ? { apiKey: apiKey.trim() } : { email: email.trim(), password });
    setPassword('');
    setApiKey('');
  };
  const choose = (next: Mode) => {
    setMode(next);
    signIn.reset();
  };

  return (
    <form className="card" onSubmit={submit} data-testid="sign-in-form" aria-label="Sign in">
      <h2>Sign in with Paymo</h2>
      <div className="toggle" role="group" aria-label="Sign-in method">
        <button type="button" aria-pressed={mode === 'password'} onClick={() => choose('password')} data-testid="sign-in-mode-password">
          Email and password
        </button>
        <button type="button" aria-pressed={mode === 'apiKey'} onClick={() => choose('apiKey')} data-testid="sign-in-mode-api-key">
          API key
        </button>
      </div>
      {mode === 'password' ? (
        <>
          <label>
            Email
            <input type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} data-testid="sign-in-email" />
          </label>
          <label>
            Password
            <input
              type="password"
              name="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              data-testid="sign-in-password"
            />
          </label>
        </>
      ) : (
        <label>
          API key
          <input type="password" name="apiKey" autoComplete="off" required value={apiKey} onChange={(e) => setApiKey(e.target.value)} data-testid="sign-in-api-key" />
        </label>
      )}
      {signIn.error && (
        <p role="alert" className="error" data-testid="sign-in-error">
          {describeError(signIn.error, mode)}
        </p>
      )}
      <button type="submit" disabled={signIn.isPending} data-testid="sign-in-submit">
        {signIn.isPending ? 'Signing in…' : 'Sign in'}
      </button>
      {demoHint && <p className="hint">{demoHint}</p>}
    </form>
  );
}
