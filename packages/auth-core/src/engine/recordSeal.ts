import { PaymoAuthError } from '../errors.js';

// With the `secret` option, every record the engine writes is prefixed with an HMAC-SHA-256 over its
// store key and its JSON: a record that someone else wrote into the store (or copied from another
// key) no longer verifies and is treated as absent. Without a secret, records are stored as plain
// JSON (zero configuration, and a fleet needs nothing shared).

type NodeCrypto = {
  createHmac(algorithm: string, key: string): { update(data: string, encoding: 'utf8'): { digest(encoding: 'base64url'): string } };
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;
};

/** Seals and opens store records; `open` returns null for a record that does not verify. */
export interface RecordSeal {
  seal(key: string, json: string): string;
  open(key: string, stored: string): string | null;
}

const plain: RecordSeal = { seal: (_key, json) => json, open: (_key, stored) => stored };

function nodeCrypto(): NodeCrypto {
  const processLike = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const module = processLike?.getBuiltinModule?.('node:crypto') as NodeCrypto | undefined;
  if (typeof module?.createHmac !== 'function') {
    throw new PaymoAuthError('CONFIG_ERROR', 'createPaymoAuth: the secret option needs Node.js 20.16 or newer (node:crypto).');
  }
  return module;
}

/** The record seal of an engine: HMAC'd records when `secret` is set, plain JSON otherwise. */
export function createRecordSeal(secret: string | undefined): RecordSeal {
  if (secret === undefined) return plain;
  const crypto = nodeCrypto();
  const mac = (key: string, json: string) => crypto.createHmac('sha256', secret).update(`paymo-auth-record\0${key}\0${json}`, 'utf8').digest('base64url');
  return {
    seal: (key, json) => `${mac(key, json)}.${json}`,
    open(key, stored) {
      const dot = stored.indexOf('.');
      // 32 bytes as base64url, ASCII only: anything else (even of the same length in characters) is
      // refused before the byte comparison.
      if (dot !== 43 || !/^[A-Za-z0-9_-]{43}$/.test(stored.slice(0, 43))) return null;
      const json = stored.slice(dot + 1);
      const expected = Buffer.from(mac(key, json));
      const given = Buffer.from(stored.slice(0, dot));
      return crypto.timingSafeEqual(expected, given) ? json : null;
    },
  };
}
