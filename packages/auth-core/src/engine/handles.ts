import { sha256 } from '../crypto.js';

/**
 * The opaque handle shown for a Paymo session instead of its id (which IS its token). A truncated
 * sha256 (132 bits) of a 128-bit random id: stable, unique in practice, and not reversible.
 */
export async function sessionHandle(sessionId: string): Promise<string> {
  return (await sha256(`handle:${sessionId}`)).slice(0, 22);
}
