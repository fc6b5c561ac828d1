import type { LocalSessionRecord } from './localSession.js';

/** How many parsed session records a process keeps (the busiest sessions; about 1 KB each). */
export const MAX_PARSED_RECORDS = 5_000;

/**
 * The records the hot path parsed last, by store key: a request whose store answer is the very string
 * parsed before (the same bytes: a record is rewritten, never changed in place) skips `JSON.parse` and
 * the seal's check. An answer that differs in any byte is parsed afresh. Records are shared between
 * requests: nothing may change one (every update writes a copy).
 */
export class ParsedRecordCache {
  private readonly entries = new Map<string, { stored: string; record: LocalSessionRecord }>();

  get(key: string, stored: string): LocalSessionRecord | undefined {
    const entry = this.entries.get(key);
    return entry !== undefined && entry.stored === stored ? entry.record : undefined;
  }

  set(key: string, stored: string, record: LocalSessionRecord): void {
    if (this.entries.size >= MAX_PARSED_RECORDS && !this.entries.has(key)) {
      // The oldest first (insertion order): a bounded cache, whatever the number of sessions.
      this.entries.delete(this.entries.keys().next().value as string);
    }
    this.entries.set(key, { stored, record });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
