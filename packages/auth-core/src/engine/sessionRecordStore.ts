import type { Engine } from './engineContext.js';
import { recordTtl, recordVersion, userIndex, type LocalSessionRecord } from './localSession.js';

/**
 * Writes a session record with a TTL up to its effective expiry, under its user's index (revoke-all),
 * versioned so that an older snapshot never overwrites a newer one. Store failures -> STORE_UNAVAILABLE.
 */
export async function writeSessionRecord(engine: Engine, key: string, record: LocalSessionRecord): Promise<void> {
  const ttl = recordTtl(record, engine.options.session, engine.now());
  await engine.storeOp(() =>
    engine.store.set(key, JSON.stringify(record), ttl, { index: userIndex(record.user.id), version: recordVersion(record) }),
  );
}

/** Deletes a session record. Store failures -> STORE_UNAVAILABLE. */
export async function deleteSessionRecord(engine: Engine, key: string): Promise<void> {
  await engine.storeOp(() => engine.store.delete(key));
}
