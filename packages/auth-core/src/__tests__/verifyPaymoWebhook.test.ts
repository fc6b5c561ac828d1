import { describe, expect, it } from 'vitest';
import { verifyPaymoWebhook } from '../index.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('verifyPaymoWebhook', () => {
  it("accepts the docs' test vector: secret 'secret', body {\"id\":\"1679584\"}", async () => {
    await expect(verifyPaymoWebhook({ body: bytes('{"id":"1679584"}'), signature: 'sha1=dc03736e396e70138bf7af4ffaa2948cde42dcf1', secret: 'secret' })).resolves.toBe(true);
    const buffer = bytes('{"id":"1679584"}').buffer;
    await expect(verifyPaymoWebhook({ body: buffer, signature: 'sha1=DC03736E396E70138BF7AF4FFAA2948CDE42DCF1', secret: 'secret' })).resolves.toBe(true);
  });

  it('refuses other bytes (a re-serialised body with a numeric id), another secret, and missing or malformed headers', async () => {
    const signature = 'sha1=dc03736e396e70138bf7af4ffaa2948cde42dcf1';
    await expect(verifyPaymoWebhook({ body: bytes('{"id":1679584}'), signature, secret: 'secret' })).resolves.toBe(false);
    await expect(verifyPaymoWebhook({ body: bytes('{"id":"1679584"}'), signature, secret: 'Secret' })).resolves.toBe(false);
    for (const bad of [undefined, null, '', 'dc03736e396e70138bf7af4ffaa2948cde42dcf1', 'sha1=dc03', `sha1=${'g'.repeat(40)}`, `${signature}00`, `sha256=${signature.slice(5)}`]) {
      await expect(verifyPaymoWebhook({ body: bytes('{"id":"1679584"}'), signature: bad, secret: 'secret' })).resolves.toBe(false);
    }
    await expect(verifyPaymoWebhook({ body: bytes('{}'), signature, secret: '' })).rejects.toThrow(/secret/);
  });
});
