import { describe, expect, it } from 'vitest';
import { PaymoAuthErrorCode } from '@paymo/auth-core';
import { describeError } from '../describeError.js';
import { formatDuration } from '../formatDuration.js';

describe('describeError', () => {
  it('says each failure a person can meet in plain words', () => {
    expect(describeError({ code: 'INVALID_CREDENTIALS', status: 401, retryAfter: undefined }, 'password')).toBe(
      'Wrong email or password. Please try again.',
    );
    expect(describeError({ code: 'INVALID_CREDENTIALS', status: 401, retryAfter: undefined }, 'apiKey')).toMatch(/did not accept that API key/);
    expect(describeError({ code: 'RATE_LIMITED', status: 429, retryAfter: 30 })).toBe(
      'Too many attempts right now. Please wait 30 seconds and try again.',
    );
    expect(describeError({ code: 'RATE_LIMITED', status: 429, retryAfter: 600 })).toMatch(/wait 10 minutes/);
    expect(describeError({ code: 'UPSTREAM_UNAVAILABLE', status: 0, retryAfter: undefined })).toMatch(/server cannot be reached/);
    expect(describeError({ code: 'UPSTREAM_UNAVAILABLE', status: 503, retryAfter: 5 })).toMatch(/Paymo is not responding/);
    expect(describeError({ code: 'SESSION_EXPIRED', status: 401, retryAfter: undefined })).toBe('Your session expired. Please sign in again.');
    expect(describeError({ code: 'SESSION_REVOKED', status: 401, retryAfter: undefined })).toMatch(/session has ended/);
  });

  it('has words for every code, none of them the fallback except for unknown codes', () => {
    const fallback = describeError({ code: 'SOMETHING_NEW' as never, status: 500, retryAfter: undefined });
    for (const code of Object.values(PaymoAuthErrorCode)) {
      const text = describeError({ code, status: 400, retryAfter: undefined });
      if (['NOT_FOUND', 'METHOD_NOT_ALLOWED', 'CONFIG_ERROR', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'].includes(code)) continue;
      expect(text, code).not.toBe(fallback);
    }
  });
});

describe('formatDuration', () => {
  it('formats a countdown', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(-5)).toBe('0s');
    expect(formatDuration(5_900)).toBe('5s');
    expect(formatDuration(65_000)).toBe('1m 05s');
    expect(formatDuration(3_600_000 + 62_000)).toBe('1h 01m 02s');
    expect(formatDuration(2 * 86_400_000 + 3_723_000)).toBe('2d 01h 02m 03s');
  });
});
