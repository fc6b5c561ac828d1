import { demoAccounts } from '@paymo/fake-api';

export const michael = { email: demoAccounts.admin.email, password: demoAccounts.admin.password };
export const dwight = { email: demoAccounts.employee.email, password: demoAccounts.employee.password };
export const dwightApiKey = demoAccounts.employee.apiKey;

/** Signs in outside React (like a previous page load did), leaving the cookie in happy-dom's jar. */
export async function signInByFetch(credentials: { email: string; password: string } = michael) {
  const response = await fetch('/auth/sign-in', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
  });
  if (!response.ok) throw new Error(`sign-in failed: ${response.status}`);
  return ((await response.json()) as { session: import('@paymo/auth-core').PaymoPublicSession }).session;
}

/** A promise with its resolve exposed. */
export function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
