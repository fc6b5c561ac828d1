import type { Engine } from './engineContext.js';
import { userIndex } from './localSession.js';

/** When an entry was made: a session's `createdAt`, a verdict's `checkedAt`. */
function madeAt(stored: string | null, open: (stored: string) => string | null): number {
  const raw = stored === null ? null : open(stored);
  if (raw === null) return -Infinity;
  try {
    const value = JSON.parse(raw) as { createdAt?: unknown; checkedAt?: unknown };
    const at = typeof value.createdAt === 'number' ? value.createdAt : value.checkedAt;
    return typeof at === 'number' && Number.isFinite(at) ? at : -Infinity;
  } catch {
    return -Infinity;
  }
}

/**
 * Keeps at most `max` of a user's store entries whose key starts with `prefix` (`sess:` local
 * sessions, `verdict:` pass-through verdicts), deleting the oldest. One account signing in (or minting
 * Paymo tokens) in a loop can then never fill a bounded store and push out other users' sessions.
 * Costs one index read per new entry; records are only read when the user is over the cap.
 *
 * Concurrent caps of one user each work from their own listing. Each deletes only entries older than
 * the one it was called for (`keep`), so together they never leave fewer than `max`: the cap that
 * deleted the newest entry kept `max - 1` newer ones of its listing plus its own, and every other cap
 * deleted only older ones. (Briefly more than `max` may live; the next entry's cap trims them.)
 */
export async function capUserEntries(engine: Engine, userId: number, prefix: string, max: number, keep: string): Promise<number> {
  const keys = (await engine.storeOp(() => engine.store.listIndex(userIndex(userId)))).filter(
    (key) => key.startsWith(prefix) && key !== keep,
  );
  // The entry just written (`keep`) always stays: the cap counts it.
  max -= 1;
  if (keys.length <= max) return 0;
  const datedOf = (key: string) =>
    engine.store.get(key).then((stored) => ({ key, at: madeAt(stored, (value) => engine.records.open(key, value)) }));
  const [own, ...dated] = await engine.storeOp(() => Promise.all([keep, ...keys].map(datedOf)));
  const older = (a: { key: string; at: number }, b: { key: string; at: number }) => a.at - b.at || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  dated.sort(older);
  const oldest = dated.slice(0, dated.length - max).filter((entry) => older(entry, own!) < 0);
  await engine.storeOp(() => Promise.all(oldest.map(({ key }) => engine.store.delete(key))));
  if (oldest.length > 0) {
    engine.log({ level: 'info', message: `Ended the user's ${oldest.length} oldest ${prefix === 'sess:' ? 'sessions' : 'cached credentials'} (over the per-user cap)`, userId });
  }
  return oldest.length;
}
