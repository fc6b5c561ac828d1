import { sha256 } from '../crypto.js';

// Web Crypto's digest is asynchronous and hops to a thread pool: about 40 µs per call in Node, most of
// the cost of authenticating a request. Where Node's synchronous hash is available (found at run time
// through process.getBuiltinModule, so browsers never load it) it does the same in ~1 µs. Both give
// the same base64url SHA-256, so store keys match whichever runtime wrote them.

type NodeCrypto = { createHash(algorithm: string): { update(data: string, encoding: 'utf8'): { digest(encoding: 'base64url'): string } } };

function loadNodeCrypto(): NodeCrypto | undefined {
  try {
    const processLike = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const module = processLike?.getBuiltinModule?.('node:crypto') as NodeCrypto | undefined;
    return typeof module?.createHash === 'function' ? module : undefined;
  } catch {
    return undefined;
  }
}

const nodeCrypto = /* @__PURE__ */ loadNodeCrypto();

/** SHA-256 of a UTF-8 string as base64url (no padding): identical to `sha256()` from crypto.ts, faster on Node. */
export function fastSha256(text: string): Promise<string> | string {
  return nodeCrypto ? nodeCrypto.createHash('sha256').update(text, 'utf8').digest('base64url') : sha256(text);
}
