import { describe, expect, it } from 'vitest';
import { PaymoAuthError, PaymoAuthErrorCode, isPaymoAuthError, paymoAuthErrorFromResponse } from '@paymo/auth-core';
import { errorResponse } from '../engine/errorResponse.js';

const decode = async (response: Response) =>
  paymoAuthErrorFromResponse(response.status, response.headers, await response.json().catch(() => null));

describe('paymoAuthErrorFromResponse', () => {
  it('reads back exactly what errorResponse() sends, for every code', async () => {
    for (const code of Object.values(PaymoAuthErrorCode)) {
      const sent = new PaymoAuthError(code, `because ${code}`, code === 'RATE_LIMITED' ? { retryAfter: 42 } : {});
      const read = await decode(errorResponse(sent));
      expect(isPaymoAuthError(read)).toBe(true);
      expect({ code: read.code, message: read.message, status: read.status }).toEqual({ code, message: `because ${code}`, status: sent.status });
      if (code === 'RATE_LIMITED') expect(read.retryAfter).toBe(42);
    }
  });

  it('gives an answer that is not ours (a proxy page, an unknown code) a code from its status', async () => {
    const cases = [
      [401, 'MISSING_CREDENTIALS'],
      [403, 'FORBIDDEN'],
      [404, 'NOT_FOUND'],
      [429, 'RATE_LIMITED'],
      [502, 'UPSTREAM_UNAVAILABLE'],
      [503, 'UPSTREAM_UNAVAILABLE'],
      [504, 'UPSTREAM_UNAVAILABLE'],
      [500, 'UPSTREAM_ERROR'],
      [400, 'BAD_REQUEST'],
      [418, 'BAD_REQUEST'],
    ] as const;
    for (const [status, code] of cases) {
      expect(paymoAuthErrorFromResponse(status, new Headers(), '<html>Bad Gateway</html>')).toMatchObject({ code, status, message: `The server answered ${status}.` });
    }
    for (const body of [{ error: { code: 'toString' } }, { error: { code: 'NOT_A_CODE' } }, { error: null }, [], null, undefined, 7]) {
      expect(paymoAuthErrorFromResponse(401, new Headers(), body).code).toBe('MISSING_CREDENTIALS');
    }
  });

  it('reads Retry-After as seconds or as an HTTP date, and ignores garbage', () => {
    const inSeconds = paymoAuthErrorFromResponse(503, new Headers({ 'retry-after': '30' }), null);
    expect(inSeconds.retryAfter).toBe(30);
    const date = new Date(Date.now() + 30_000).toUTCString();
    const atDate = paymoAuthErrorFromResponse(429, new Headers({ 'retry-after': date }), null);
    expect(atDate.retryAfter).toBeGreaterThanOrEqual(28);
    expect(atDate.retryAfter).toBeLessThanOrEqual(31);
    expect(paymoAuthErrorFromResponse(429, new Headers({ 'retry-after': '-3' }), null).retryAfter).toBeUndefined();
    expect(paymoAuthErrorFromResponse(429, new Headers(), null).retryAfter).toBeUndefined();
  });
});
