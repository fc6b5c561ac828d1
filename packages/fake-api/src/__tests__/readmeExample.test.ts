// The README's first example, verbatim apart from the import path, so the README cannot rot.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createFakePaymo, demoAccounts, type FakePaymo } from '../index.js';

let paymo: FakePaymo;
beforeEach(async () => {
  paymo = await createFakePaymo(); // 127.0.0.1, a free port
});
afterEach(() => paymo.close()); // also closes keep-alive connections: no hanging test run

it('signs in with an API key', async () => {
  const { apiKey } = demoAccounts.admin;
  const res = await fetch(`${paymo.url}/me`, {
    // paymo.url already ends in /api: use it as your client's baseUrl
    headers: { Authorization: `Basic ${btoa(`${apiKey}:X`)}`, Accept: 'application/json' },
  });
  expect(res.status).toBe(200);
  expect((await res.json()).users[0].name).toBe('Michael Scott');
  expect(paymo.countRequests({ method: 'GET', path: '/api/me' })).toBe(1);
});
