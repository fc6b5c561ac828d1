import { describe, expect, it } from 'vitest';
import { PaymoAuthError, PaymoAuthErrorCode, httpStatusByCode, isPaymoAuthError } from '@paymo/auth-core';

describe('PaymoAuthError', () => {
  it('carries a closed code, the table status and an optional Retry-After', () => {
    const error = new PaymoAuthError('RATE_LIMITED', 'slow down', { retryAfter: 12 });
    expect(error.name).toBe('PaymoAuthError');
    expect(error.status).toBe(429);
    expect(error.retryAfter).toBe(12);
    expect(error.toJSON()).toEqual({ error: { code: 'RATE_LIMITED', message: 'slow down' } });
  });

  it('is recognised across copies of the package through its brand, not instanceof', () => {
    const foreign = Object.assign(new Error('x'), { [Symbol.for('@paymo/auth-core/PaymoAuthError')]: true });
    expect(isPaymoAuthError(foreign)).toBe(true);
    expect(isPaymoAuthError(new Error('x'))).toBe(false);
    expect(isPaymoAuthError(null)).toBe(false);
  });

  it('maps every code to an HTTP status', () => {
    for (const code of Object.values(PaymoAuthErrorCode)) {
      expect(httpStatusByCode[code]).toBeGreaterThanOrEqual(400);
    }
  });
});
