/** What {@link verifyPaymoWebhook} checks. */
export interface VerifyPaymoWebhookOptions {
  /** The request body exactly as received: the bytes Paymo signed (never a re-serialised `JSON.stringify`). */
  body: Uint8Array | ArrayBuffer;
  /** The `X-Paymo-Signature` header (`sha1=<hex>`); missing or malformed is simply not valid. */
  signature: string | null | undefined;
  /** The hook's `secret`, as given to `POST /api/hooks`. */
  secret: string;
}

const encoder = /* @__PURE__ */ new TextEncoder();

function hexToBytes(hex: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[0-9a-fA-F]{40}$/.test(hex)) return undefined;
  const bytes = new Uint8Array(20);
  for (let i = 0; i < 20; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/**
 * Checks a Paymo webhook delivery: `X-Paymo-Signature: sha1=<hex>` must be the HMAC-SHA1 of the raw
 * body keyed with the hook's secret (Paymo's webhooks.md). The comparison is Web Crypto's
 * `subtle.verify`, which is constant time, so the check runs in Node and in edge runtimes alike.
 * Resolves `false` (never throws) for a missing, malformed or wrong signature.
 *
 * @example
 * ```ts
 * const ok = await verifyPaymoWebhook({ body: rawBytes, signature: req.headers['x-paymo-signature'], secret });
 * // the docs' test vector: secret 'secret', body '{"id":"1679584"}' -> 'sha1=dc03736e396e70138bf7af4ffaa2948cde42dcf1'
 * ```
 */
export async function verifyPaymoWebhook(options: VerifyPaymoWebhookOptions): Promise<boolean> {
  const { signature, secret } = options;
  if (typeof secret !== 'string' || secret === '') throw new TypeError('verifyPaymoWebhook: secret must be a non-empty string');
  if (typeof signature !== 'string' || !signature.startsWith('sha1=')) return false;
  const expected = hexToBytes(signature.slice(5));
  if (!expected) return false;
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-1' }, false, ['verify']);
  const body = options.body instanceof Uint8Array ? options.body : new Uint8Array(options.body);
  return crypto.subtle.verify('HMAC', key, expected, body as Uint8Array<ArrayBuffer>);
}
