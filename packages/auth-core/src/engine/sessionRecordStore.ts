import type { Engine } from './engineContext.js';
import { recordTtl, recordVersion, userIndex, type LocalSessionRecord } from './localSession.js';

/**
 * Writes a new session record (at sign-in) with a TTL up to its effective expiry, under its user's index
 * (revoke-all). Store failures -> STORE_UNAVAILABLE.
 */
export async function createSessionRecord(engine: Engine, key: string, record: LocalSessionRecord): Promise<void> {
  const ttl = recordTtl(record, engine.options.session, engine.now());
  await engine.storeOp(() =>
    engine.store.set(key, engine.records.seal(key, JSON.stringify(record)), ttl, { index: userIndex(record.user.id), version: recordVersion(record) }),
  );
}

/**
 * Updates a live session record ("last seen", "last checked"). Versioned, so an older snapshot never
 * overwrites a newer one, and only if the record still exists, so a write racing a sign-out (or sign-out
 * everywhere) never brings the session back. Resolves false when the record is gone.
 */
export async function updateSessionRecord(
  engine: Engine,
  key: string,
  record: LocalSessionRecord,
  options: { overrideVersion?: boolean } = {},
): Promise<boolean> {
  const ttl = recordTtl(record, engine.options.session, engine.now());
  const written = await engine.storeOp(() =>
    engine.store.set(key, engine.records.seal(key, JSON.stringify(record)), ttl, {
      index: userIndex(record.user.id),
      ...(options.overrideVersion ? {} : { version: recordVersion(record) }),
      onlyIfExists: true,
    }),
  );
  // Refused: either a newer snapshot is there (fine) or the record was deleted meanwhile (ended).
  return written || (await engine.storeOp(() => engine.store.get(key))) !== null;
}

/** Deletes a session record. Store failures -> STORE_UNAVAILABLE. */
export async function deleteSessionRecord(engine: Engine, key: string): Promise<void> {
  engine.parsedRecords.delete(key);
  await engine.storeOp(() => engine.store.delete(key));
}
