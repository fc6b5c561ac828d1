import { describe, expect, it } from 'vitest';
import { decrypt, deriveEncryptionKey, encrypt, fromBase64Url, randomToken, sha256, toBase64Url } from '../crypto.js';

describe('crypto helpers', () => {
  it('round-trips base64url and rejects foreign characters', () => {
    const bytes = new Uint8Array([0, 1, 250, 251, 252, 253, 254, 255]);
    expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
    expect(() => fromBase64Url('a+b/')).toThrow();
  });

  it('makes 256-bit random tokens that differ', () => {
    const a = randomToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken()).not.toBe(a);
  });

  it('hashes deterministically', async () => {
    expect(await sha256('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
  });

  it('encrypts so that only the same secret decrypts, and detects tampering', async () => {
    const key = await deriveEncryptionKey('cookie-secret', 'token');
    const sealed = await encrypt(key, 'paymo-token');
    expect(sealed).not.toContain('paymo-token');
    expect(await decrypt(key, sealed)).toBe('paymo-token');
    await expect(decrypt(await deriveEncryptionKey('other', 'token'), sealed)).rejects.toThrow();
    const [iv, body] = sealed.split('.');
    const flipped = body!.slice(0, -2) + (body!.endsWith('AA') ? 'AB' : 'AA');
    await expect(decrypt(key, `${iv}.${flipped}`)).rejects.toThrow();
  });
});
