/**
 * The one place that names the store's Redis keys. Every key is `<prefix>{<id>}:<kind>`: the part in
 * braces is the Redis Cluster hash tag, so everything kept for one id (a value and its metadata) lands
 * in one slot and one script can touch it all, while different ids spread over the cluster. An
 * operation that needs a new kind of key for an id adds a kind here and gets the same slot for free.
 *
 * Kinds: `v` value, `m` its metadata hash, `i` an index (sorted set of ids), `c` a counter, `w` a sliding
 * window (sorted set of use times), `l` a lock.
 * The kind comes after the closing brace, so two ids never collide whatever characters they hold.
 */
export type RedisKeyKind = 'v' | 'm' | 'i' | 'c' | 'w' | 'l';

/** The key of `id`'s `kind` under `prefix` (the client's own ioredis `keyPrefix` is added by ioredis). */
export function redisKey(prefix: string, id: string, kind: RedisKeyKind): string {
  return `${prefix}{${id}}:${kind}`;
}

/** The key layout of the versions before Redis Cluster support (`<prefix><kind>:<id>`), for migration. */
export function legacyRedisKey(prefix: string, id: string, kind: RedisKeyKind): string {
  return `${prefix}${kind}:${id}`;
}
