import { afterEach, describe, expect, it } from 'vitest';
import { admin, createHarness, type Harness } from './engineHarness.js';

let h: Harness;
afterEach(async () => {
  h.assertNoSecrets();
  await h.close();
});

type Case = { name: string; headers: Record<string, string>; secure?: boolean; status: number; code?: string };

const cases: Case[] = [
  { name: 'same origin', headers: { origin: 'http://app.test' }, status: 200 },
  { name: 'cross-origin Origin', headers: { origin: 'http://evil.test' }, status: 403, code: 'CSRF_REJECTED' },
  { name: 'Origin: null (sandboxed, file:)', headers: { origin: 'null' }, status: 403, code: 'CSRF_REJECTED' },
  { name: 'same host, other scheme', headers: { origin: 'https://app.test' }, status: 403, code: 'CSRF_REJECTED' },
  { name: 'same host, other port', headers: { origin: 'http://app.test:8080' }, status: 403, code: 'CSRF_REJECTED' },
  { name: 'trusted origin', headers: { origin: 'https://admin.example.com' }, status: 200 },
  { name: 'HTTPS same origin', headers: { origin: 'https://app.test' }, secure: true, status: 200 },
  { name: 'Sec-Fetch-Site cross-site', headers: { 'sec-fetch-site': 'cross-site' }, status: 403, code: 'CSRF_REJECTED' },
  { name: 'Sec-Fetch-Site same-site', headers: { 'sec-fetch-site': 'same-site' }, status: 403, code: 'CSRF_REJECTED' },
  { name: 'Sec-Fetch-Site same-origin', headers: { 'sec-fetch-site': 'same-origin' }, status: 200 },
  { name: 'Sec-Fetch-Site none (typed URL)', headers: { 'sec-fetch-site': 'none' }, status: 200 },
  { name: 'no Origin at all (curl, server-to-server)', headers: {}, status: 200 },
  {
    name: 'form content type, same origin',
    headers: { origin: 'http://app.test', 'content-type': 'application/x-www-form-urlencoded' },
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  { name: 'text/plain (no-preflight fetch)', headers: { 'content-type': 'text/plain' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'multipart', headers: { 'content-type': 'multipart/form-data; boundary=x' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'application/json-ish', headers: { 'content-type': 'application/jsonp' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'JSON with charset', headers: { 'content-type': 'Application/JSON; charset=utf-8' }, status: 200 },
];

describe('CSRF on POST routes', () => {
  it.each(cases)('sign-in, $name -> $status', async ({ headers, secure, status, code }) => {
    h = await createHarness({ trustedOrigins: ['https://admin.example.com'] });
    const result = await h.send('/auth/sign-in', {
      method: 'POST',
      rawBody: JSON.stringify(admin),
      headers: { 'content-type': 'application/json', ...headers },
      ...(secure ? { secure } : {}),
    });
    expect(result.status).toBe(status);
    if (code) {
      expect(result.json.error.code).toBe(code);
      expect(result.setCookies).toEqual([]);
      // Refused before anything else: no upstream call, no rate-limit count.
      expect(h.fake.countRequests()).toBe(0);
      expect(h.store.calls).toBe(0);
    }
  });

  it('guards sign-out and sign-out-everywhere too (a cross-site page cannot sign the user out)', async () => {
    h = await createHarness();
    const { cookie } = await h.signIn(admin);
    for (const path of ['/auth/sign-out', '/auth/sign-out-everywhere']) {
      const forged = await h.send(path, { method: 'POST', cookie, headers: { 'content-type': 'application/json', origin: 'http://evil.test' } });
      expect(forged.status).toBe(403);
      const form = await h.send(path, { method: 'POST', cookie, headers: { 'content-type': 'application/x-www-form-urlencoded' }, rawBody: 'a=b' });
      expect(form.status).toBe(415);
    }
    expect((await h.authenticate({ cookie })).authenticated).toBe(true);
  });
});

describe('routing', () => {
  it('404 NOT_FOUND under basePath, null outside it, 405 with Allow for a wrong method', async () => {
    h = await createHarness();
    const missing = await h.send('/auth/nope');
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('NOT_FOUND');
    expect((await h.send('/auth')).status).toBe(404);
    expect((await h.send('/auth/session/')).status).toBe(404);
    expect(await h.auth.handle(new Request('http://app.test/authx/session'))).toBeNull();
    expect(await h.auth.handle(new Request('http://app.test/api/session'))).toBeNull();
    const wrong = await h.send('/auth/sign-in', { method: 'GET' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    expect(wrong.json.error.code).toBe('METHOD_NOT_ALLOWED');
    const put = await h.send('/auth/session', { method: 'PUT', rawBody: '{}' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET');
    expect(h.auth.ownsPath('/auth/anything')).toBe(true);
    expect(h.auth.ownsPath('/authentic')).toBe(false);
  });

  it('honours basePath', async () => {
    h = await createHarness({ basePath: '/api/v1/auth' });
    expect(await h.auth.handle(new Request('http://app.test/auth/session'))).toBeNull();
    const response = await h.auth.handle(new Request('http://app.test/api/v1/auth/session'));
    expect(response?.status).toBe(200);
    expect(h.auth.basePath).toBe('/api/v1/auth');
  });
});
