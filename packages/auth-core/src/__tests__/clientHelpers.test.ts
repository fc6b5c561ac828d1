import { describe, expect, it } from 'vitest';
import { createPaymoClient, normalizeBaseUrl } from '@paymo/auth-core';
import { parseClockSkew, parseRateLimit } from '../client/responseMeta.js';
import { parseRetryAfter } from '../parseRetryAfter.js';
import { upstreamError, upstreamMessage } from '../client/upstreamError.js';
import { backoffDelay } from '../client/backoffDelay.js';

describe('normalizeBaseUrl', () => {
  it('defaults to Paymo and strips trailing slashes', () => {
    expect(normalizeBaseUrl()).toBe('https://app.paymoapp.com/api');
    expect(normalizeBaseUrl('https://app.paymoapp.com/api///')).toBe('https://app.paymoapp.com/api');
    expect(normalizeBaseUrl('http://127.0.0.1:4010/api/')).toBe('http://127.0.0.1:4010/api');
    expect(normalizeBaseUrl('http://localhost:4010/api')).toBe('http://localhost:4010/api');
    expect(normalizeBaseUrl('http://[::1]:4010/api')).toBe('http://[::1]:4010/api');
  });

  it.each([
    'http://app.paymoapp.com/api',
    'http://10.0.0.1/api',
    'http://127.0.0.1.nip.io/api',
    'ftp://127.0.0.1/api',
    'not a url',
    'https://user:pw@app.paymoapp.com/api',
    'https://app.paymoapp.com/api?x=1',
    'https://app.paymoapp.com/api#x',
  ])('refuses %s with CONFIG_ERROR', (url) => {
    expect(() => normalizeBaseUrl(url)).toThrow(expect.objectContaining({ code: 'CONFIG_ERROR' }));
    expect(() => createPaymoClient({ baseUrl: url, credential: { type: 'session', token: 'a'.repeat(32) } })).toThrow(
      expect.objectContaining({ code: 'CONFIG_ERROR' }),
    );
  });
});

describe('createPaymoClient configuration', () => {
  const credential = { type: 'apiKey', apiKey: 'k'.repeat(44) } as const;
  it.each([
    ['a zero timeout', { timeoutMs: 0 }],
    ['a negative retry count', { retry: { retries: -1 } }],
    ['a NaN delay', { retry: { baseDelayMs: Number.NaN } }],
    ['service mode on a session token', { credential: { type: 'session', token: 'a'.repeat(32) }, service: true }],
  ] as const)('refuses %s', (_name, extra) => {
    expect(() => createPaymoClient({ credential, ...extra } as never)).toThrow(expect.objectContaining({ code: 'CONFIG_ERROR' }));
  });

  it('refuses a credential that cannot be sent', () => {
    expect(() => createPaymoClient({ credential: { type: 'apiKey', apiKey: '' } })).toThrow(
      expect.objectContaining({ code: 'MALFORMED_CREDENTIALS' }),
    );
  });

  it('rejects bad paths and methods without any network call', async () => {
    let calls = 0;
    const client = createPaymoClient({ credential, fetch: async () => { calls++; return new Response('{}'); } });
    await expect(client.request('GET', 'clients')).rejects.toMatchObject({ code: 'CONFIG_ERROR' });
    await expect(client.request('GET', '//evil.example/x')).rejects.toMatchObject({ code: 'CONFIG_ERROR' });
    await expect(client.request('PATCH' as 'GET', '/clients')).rejects.toMatchObject({ code: 'CONFIG_ERROR' });
    expect(calls).toBe(0);
  });
});

describe('response metadata', () => {
  const at = Date.parse('2025-03-01T12:00:00Z');

  it('reads the rate-limit headers and ignores garbage', () => {
    const headers = new Headers({ 'X-Ratelimit-Limit': '100', 'X-Ratelimit-Remaining': '7', 'X-Ratelimit-Decay-Period': 'soon' });
    expect(parseRateLimit(headers)).toEqual({ limit: 100, remaining: 7 });
    expect(parseRateLimit(new Headers())).toEqual({});
  });

  it('computes clock skew from Date (server minus us), 0 when absent or invalid', () => {
    expect(parseClockSkew(new Headers({ Date: 'Sat, 01 Mar 2025 12:01:30 GMT' }), at)).toBe(90_000);
    expect(parseClockSkew(new Headers({ Date: 'Sat, 01 Mar 2025 11:59:00 GMT' }), at)).toBe(-60_000);
    expect(parseClockSkew(new Headers({ Date: 'yesterday-ish' }), at)).toBe(0);
    expect(parseClockSkew(new Headers(), at)).toBe(0);
  });

  it('reads Retry-After as seconds or as an HTTP-date against the server Date', () => {
    expect(parseRetryAfter(new Headers({ 'Retry-After': '7' }), at)).toBe(7);
    expect(parseRetryAfter(new Headers({ 'Retry-After': 'Sat, 01 Mar 2025 12:00:30 GMT' }), at)).toBe(30);
    // Server clock 1 h ahead of ours: measure against its Date, not our clock.
    expect(
      parseRetryAfter(new Headers({ 'Retry-After': 'Sat, 01 Mar 2025 13:00:10 GMT', Date: 'Sat, 01 Mar 2025 13:00:00 GMT' }), at),
    ).toBe(10);
    expect(parseRetryAfter(new Headers({ 'Retry-After': 'Sat, 01 Mar 2025 11:00:00 GMT' }), at)).toBe(0);
    expect(parseRetryAfter(new Headers({ 'Retry-After': '-3' }), at)).toBeUndefined();
    expect(parseRetryAfter(new Headers({ 'Retry-After': 'later' }), at)).toBeUndefined();
    expect(parseRetryAfter(new Headers(), at)).toBeUndefined();
  });
});

describe('upstream errors', () => {
  const base = { retryAfter: undefined, secrets: ['s3cr3t-token'], unauthorizedCode: 'INVALID_CREDENTIALS' as const };

  it('maps statuses to codes', () => {
    expect(upstreamError({ ...base, status: 401, body: '{"message":"Unauthorized"}' })).toMatchObject({ code: 'INVALID_CREDENTIALS', status: 401 });
    expect(upstreamError({ ...base, status: 401, body: '', unauthorizedCode: 'SESSION_REVOKED' })).toMatchObject({ code: 'SESSION_REVOKED' });
    expect(upstreamError({ ...base, status: 429, body: '', retryAfter: 4 })).toMatchObject({ code: 'RATE_LIMITED', status: 429, retryAfter: 4 });
    expect(upstreamError({ ...base, status: 503, body: 'down' })).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 503 });
    expect(upstreamError({ ...base, status: 404, body: '{"message":"Not found"}' })).toMatchObject({
      code: 'UPSTREAM_ERROR',
      message: 'Paymo answered 404: Not found',
    });
    expect(upstreamError({ ...base, status: 302, body: '' })).toMatchObject({ code: 'UPSTREAM_ERROR' });
  });

  it('prefers {"message"}, falls back to raw text, flattens, truncates and redacts secrets', () => {
    expect(upstreamMessage('{"message":"Bad where"}', [])).toBe('Bad where');
    expect(upstreamMessage('{"error":"x"}', [])).toBe('{"error":"x"}');
    expect(upstreamMessage('<html>\n  <b>oops</b>\r\n</html>', [])).toBe('<html> <b>oops</b> </html>');
    expect(upstreamMessage('x'.repeat(5000), [])).toHaveLength(201);
    expect(upstreamMessage('{"message":"token s3cr3t-token is invalid"}', ['s3cr3t-token'])).toBe('token [redacted] is invalid');
    // A secret straddling the truncation point must not leak its first half.
    const long = `${'x'.repeat(195)}s3cr3t-token`;
    expect(upstreamMessage(long, ['s3cr3t-token'])).not.toContain('s3cr3');
  });
});

describe('backoffDelay', () => {
  it('doubles, caps, and keeps at least half of the delay', () => {
    expect(backoffDelay(0, 200, 2000, () => 0)).toBe(100);
    expect(backoffDelay(0, 200, 2000, () => 1)).toBe(200);
    expect(backoffDelay(3, 200, 2000, () => 1)).toBe(1600);
    expect(backoffDelay(10, 200, 2000, () => 1)).toBe(2000);
    expect(backoffDelay(10, 200, 2000, () => 0)).toBe(1000);
  });
});
