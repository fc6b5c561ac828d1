// Standard (RFC 4648 section 4) base64, as HTTP Basic uses it. crypto.ts has the base64url variant.

const encoder = /* @__PURE__ */ new TextEncoder();
const strictDecoder = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true });

/** UTF-8 bytes of `text` as padded standard base64. */
export function encodeBase64Utf8(text: string): string {
  const bytes = encoder.encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!);
  return btoa(binary);
}

const canonicalBase64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Decodes padded standard base64 that must be canonical (the only encoding of its bytes: no missing
 * padding, no whitespace, no stray bits in the last character) and valid UTF-8. Returns null otherwise.
 */
export function decodeBase64Utf8Strict(text: string): string | null {
  if (!canonicalBase64.test(text)) return null;
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    return null;
  }
  // atob ignores non-zero padding bits; re-encoding exposes them.
  if (btoa(binary) !== text) return null;
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return null;
  }
}
