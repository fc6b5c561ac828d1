// The store's multi-step operations, each one atomic script (one round trip).
//
// Layout under the prefix P (the client's own keyPrefix + the store's keyPrefix):
//   P v:<key>    the value (string, PX ttl)
//   P m:<key>    its metadata hash {ver, idx}, only when a version or an index was given (same PX)
//   P i:<index>  sorted set of keys, scored by their expiry (server time, ms), PX = the longest member
//   P c:<key>    fixed-window counter        P l:<key>   lock holding the owner token
//
// Index members are stored unprefixed and turned back into key names inside the script, so these
// scripts touch keys they were not given in KEYS: fine on a single Redis (or Sentinel), not on Cluster.
// Time comes from the server (TIME), so every app instance agrees on expiry whatever its clock says.

const nowMs = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/** KEYS: value, meta. ARGV: value, ttl, version ('' = none), index ('' = none), prefix, key, onlyIfExists ('1' or ''). Returns 1, or 0 when the version or onlyIfExists refused the write. */
export const setScript = `
local value, ttl, version, index, prefix, key = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local oldVersion, oldIndex = false, false
if redis.call('EXISTS', KEYS[1]) == 1 then
  local meta = redis.call('HMGET', KEYS[2], 'ver', 'idx')
  oldVersion, oldIndex = meta[1], meta[2]
elseif ARGV[7] == '1' then
  return 0
end
if version ~= '' and oldVersion and tonumber(oldVersion) >= tonumber(version) then return 0 end
redis.call('SET', KEYS[1], value, 'PX', ttl)
redis.call('DEL', KEYS[2])
if oldIndex and oldIndex ~= index then redis.call('ZREM', prefix .. 'i:' .. oldIndex, key) end
if version ~= '' then redis.call('HSET', KEYS[2], 'ver', version) end
if index ~= '' then
  redis.call('HSET', KEYS[2], 'idx', index)
  ${nowMs}
  local indexKey = prefix .. 'i:' .. index
  redis.call('ZREMRANGEBYSCORE', indexKey, '-inf', now)
  redis.call('ZADD', indexKey, now + ttl, key)
  if redis.call('PTTL', indexKey) < ttl then redis.call('PEXPIRE', indexKey, ttl) end
end
if version ~= '' or index ~= '' then redis.call('PEXPIRE', KEYS[2], ttl) end
return 1
`;

/** KEYS: value, meta. ARGV: prefix, key. Returns 1 when the value existed. */
export const deleteScript = `
local existed = redis.call('EXISTS', KEYS[1])
local index = redis.call('HGET', KEYS[2], 'idx')
if index then redis.call('ZREM', ARGV[1] .. 'i:' .. index, ARGV[2]) end
redis.call('DEL', KEYS[1], KEYS[2])
return existed
`;

/** KEYS: index. ARGV: prefix, index. Prunes expired or moved members, returns the live keys. */
export const listIndexScript = `
${nowMs}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local live = {}
for _, key in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if redis.call('HGET', ARGV[1] .. 'm:' .. key, 'idx') == ARGV[2] and redis.call('EXISTS', ARGV[1] .. 'v:' .. key) == 1 then
    live[#live + 1] = key
  else
    redis.call('ZREM', KEYS[1], key)
  end
end
return live
`;

/** KEYS: index. ARGV: prefix, index. Deletes the live keys filed under the index and the index; returns how many. */
export const deleteIndexScript = `
local deleted = 0
for _, key in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local metaKey = ARGV[1] .. 'm:' .. key
  if redis.call('HGET', metaKey, 'idx') == ARGV[2] then
    deleted = deleted + redis.call('DEL', ARGV[1] .. 'v:' .. key)
    redis.call('DEL', metaKey)
  end
end
redis.call('DEL', KEYS[1])
return deleted
`;

/** KEYS: counter. ARGV: windowMs, delta. Returns {count, ms until reset}. */
export const incrementScript = `
local fresh = redis.call('EXISTS', KEYS[1]) == 0
local count = redis.call('INCRBY', KEYS[1], ARGV[2])
local ttl = redis.call('PTTL', KEYS[1])
if fresh or ttl < 0 then
  ttl = tonumber(ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ttl)
end
return {count, ttl}
`;

/** KEYS: lock. ARGV: owner. Deletes the lock only if the owner still holds it. */
export const releaseLockScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
