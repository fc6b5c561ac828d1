// Memory of MemorySessionStore per N stored sessions. Run with `node --expose-gc bench/memory.mjs [N]`;
// prints one JSON line. Sessions look like the engine's: key `sess:` + a 43-character hash, a
// ~600-byte value (a signed-in record with its sealed token is about that size), a 1-day TTL, and an
// index per user (10 sessions per user), as sign-in writes them.
import { randomBytes } from 'node:crypto';
import { MemorySessionStore } from '@paymo/auth-core';

if (typeof globalThis.gc !== 'function') {
  console.error('run with node --expose-gc');
  process.exit(2);
}
const count = Number(process.argv[2] ?? 100_000);
const valueBytes = 600;

function settle() {
  for (let i = 0; i < 4; i++) globalThis.gc();
  return process.memoryUsage();
}

const store = new MemorySessionStore({ maxEntries: count });
const before = settle();
for (let i = 0; i < count; i++) {
  const key = `sess:${randomBytes(32).toString('base64url')}`;
  // Distinct strings, as real records are (no sharing between entries).
  const value = randomBytes((valueBytes * 3) / 4).toString('base64');
  await store.set(key, value, 24 * 3600 * 1000, { index: `user:${i % (count / 10)}` });
}
const after = settle();
const stats = store.stats?.() ?? null;
await store.close();

const delta = (field) => after[field] - before[field];
console.log(
  JSON.stringify({
    count,
    valueBytes,
    heapBytes: delta('heapUsed'),
    externalBytes: delta('external'),
    rssBytes: delta('rss'),
    payloadBytes: count * (valueBytes + 48),
    stats,
  }),
);
