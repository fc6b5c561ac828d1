import { describe, expect, it } from 'vitest';
import { sha256 } from '../crypto.js';
import { readSessionCookie, serializeSessionCookie, clearSessionCookie } from '../engine/cookies.js';
import { fastSha256 } from '../engine/fastSha256.js';
import { effectiveExpiry, parseLocalSession, type LocalSessionRecord } from '../engine/localSession.js';
import { SingleFlight } from '../engine/singleFlight.js';
import { sessionHandle } from '../engine/handles.js';

describe('engine units', () => {
  it('fastSha256 equals the Web Crypto sha256 (store keys match across runtimes)', async () => {
    for (const text of ['', 'abc', 'é€😀', 'A'.repeat(43)]) expect(await fastSha256(text)).toBe(await sha256(text));
  });

  it('readSessionCookie finds our cookie among others and checks its shape', () => {
    const value = 'A'.repeat(43);
    expect(readSessionCookie(null, 'sid')).toEqual({ kind: 'absent' });
    expect(readSessionCookie('a=1; b=2', 'sid')).toEqual({ kind: 'absent' });
    expect(readSessionCookie(`a=1;sid=${value}; b=2`, 'sid')).toEqual({ kind: 'present', value });
    expect(readSessionCookie(`xsid=${value}`, 'sid')).toEqual({ kind: 'absent' });
    expect(readSessionCookie(`sid=${value}; sid=${'B'.repeat(43)}`, 'sid')).toEqual({ kind: 'present', value });
    expect(readSessionCookie('sid=short', 'sid')).toEqual({ kind: 'malformed' });
  });

  it('serialises and clears cookies with the same attributes', () => {
    const attributes = { name: 'sid', sameSite: 'Lax' as const, secure: true };
    expect(serializeSessionCookie(attributes, 'v', 90_500)).toBe('__Host-sid=v; Max-Age=90; Path=/; HttpOnly; SameSite=Lax; Secure');
    expect(clearSessionCookie(attributes)).toBe('__Host-sid=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; HttpOnly; SameSite=Lax; Secure');
  });

  it('effective expiry is the earliest of Paymo expiry, max age and idle timeout', () => {
    const record = { createdAt: 0, upstreamExpiresAt: 1000, lastSeenAt: 500 } as LocalSessionRecord;
    expect(effectiveExpiry(record, { maxAgeMs: 2000, idleTimeoutMs: 2000 })).toBe(1000);
    expect(effectiveExpiry(record, { maxAgeMs: 700, idleTimeoutMs: 2000 })).toBe(700);
    expect(effectiveExpiry(record, { maxAgeMs: 2000, idleTimeoutMs: 100 })).toBe(600);
  });

  it('parseLocalSession refuses anything that is not a current record', () => {
    expect(parseLocalSession('not json')).toBeNull();
    expect(parseLocalSession('null')).toBeNull();
    expect(parseLocalSession('{"v":2}')).toBeNull();
    expect(parseLocalSession(JSON.stringify({ v: 1, token: 't', createdAt: 1, upstreamExpiresAt: null, lastSeenAt: 1, lastCheckedAt: 1, user: { id: 1 } }))).toBeNull();
  });

  it('SingleFlight shares one run among concurrent callers, and starts a new one afterwards', async () => {
    const flight = new SingleFlight<number>();
    let runs = 0;
    const task = async () => {
      runs += 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return runs;
    };
    expect(await Promise.all([flight.run('k', task), flight.run('k', task), flight.run('k', task)])).toEqual([1, 1, 1]);
    expect(await flight.run('k', task)).toBe(2);
    await expect(flight.run('x', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(flight.size).toBe(0);
  });

  it('session handles are stable, opaque and distinct', async () => {
    const id = '9762c607ec2b5d9e13c423cbafeb7ec8';
    expect(await sessionHandle(id)).toBe(await sessionHandle(id));
    expect(await sessionHandle(id)).not.toContain(id.slice(0, 8));
    expect(await sessionHandle(id)).not.toBe(await sessionHandle(id.replace('9', '8')));
  });
});

describe('clientAddressKey', () => {
  it('counts IPv4 by address, IPv6 by its /64, IPv4-mapped IPv6 as the IPv4 client', async () => {
    const { clientAddressKey } = await import('../engine/clientAddress.js');
    expect(clientAddressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientAddressKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(clientAddressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientAddressKey('::1')).toBe('0:0:0:0::/64');
    expect(clientAddressKey('::ffff:198.51.100.4')).toBe('198.51.100.4');
    expect(clientAddressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientAddressKey('not-an-address')).toBe('not-an-address');
    expect(clientAddressKey('1:2:3')).toBe('1:2:3');
  });
});
