import type { PaymoAuthError } from '@paymo/auth-react';

/** An error in words a person understands. Never echoes what they typed. */
export function describeError(error: Pick<PaymoAuthError, 'code' | 'status' | 'retryAfter'>, context: 'password' | 'apiKey' | 'other' = 'other'): string {
  switch (error.code) {
    case 'INVALID_CREDENTIALS':
      return context === 'apiKey'
        ? 'Paymo did not accept that API key. Check it in Paymo under My Account → API keys.'
        : 'Wrong email or password. Please try again.';
    case 'MALFORMED_CREDENTIALS':
    case 'BAD_REQUEST':
      return context === 'apiKey' ? 'Please paste a whole Paymo API key.' : 'Please enter your email address and password.';
    case 'RATE_LIMITED':
      return `Too many attempts right now. Please wait ${waitFor(error.retryAfter)} and try again.`;
    case 'UPSTREAM_UNAVAILABLE':
      return error.status === 0
        ? 'The server cannot be reached. Check your connection, or try again in a moment.'
        : 'Paymo is not responding right now. Please try again in a moment.';
    case 'UPSTREAM_ERROR':
      return 'Paymo answered with an error. Please try again in a moment.';
    case 'STORE_UNAVAILABLE':
      return 'The sign-in service is having trouble. Please try again shortly.';
    case 'SESSION_EXPIRED':
      return 'Your session expired. Please sign in again.';
    case 'SESSION_REVOKED':
      return 'Your session has ended (it expired in Paymo, or you signed out elsewhere). Please sign in again.';
    case 'MISSING_CREDENTIALS':
      return 'You are signed out. Please sign in again.';
    case 'FORBIDDEN':
      return 'Your Paymo account is not allowed to do that.';
    case 'PROXY_FORBIDDEN':
      return 'This app does not read that part of Paymo.';
    case 'CSRF_REJECTED':
      return 'That request was blocked for your safety. Reload the page and try again.';
    case 'INVALID_SIGNATURE':
      return 'That request did not carry a valid signature.';
    default:
      return 'Something went wrong. Please try again.';
  }
}

function waitFor(seconds: number | undefined): string {
  if (!seconds || seconds <= 1) return 'a moment';
  if (seconds < 90) return `${Math.ceil(seconds)} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}
