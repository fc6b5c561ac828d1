// The store's multi-step operations, each one atomic script (one round trip).
//
// Every script is given every key it touches in KEYS, and those keys share a hash tag (see
// redisKeys.ts), so they run unchanged on one Redis and on Redis Cluster. A value and its metadata
// live in the value's slot; an index lives in its own slot and holds bare ids: the index scripts never
// reach member keys. Membership is therefore only a hint, confirmed against the member's metadata
// (`idx`) by a per-member script in the member's slot, and members that moved, expired or were deleted
// are pruned on the next read.
// Time comes from the server (TIME), so every app instance agrees on expiry whatever its clock says.

const nowMs = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/**
 * KEYS: value, meta. ARGV: value, ttl, version ('' = none), index ('' = none), onlyIfExists ('1' or '').
 * Returns {1, previous index or ''}, or {0, ''} when the version or onlyIfExists refused the write.
 */
export const setScript = `
local value, ttl, version, index = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4]
local oldVersion, oldIndex = false, false
if redis.call('EXISTS', KEYS[1]) == 1 then
  local meta = redis.call('HMGET', KEYS[2], 'ver', 'idx')
  oldVersion, oldIndex = meta[1], meta[2]
elseif ARGV[5] == '1' then
  return {0, ''}
end
if version ~= '' and oldVersion and tonumber(oldVersion) >= tonumber(version) then return {0, ''} end
redis.call('SET', KEYS[1], value, 'PX', ttl)
redis.call('DEL', KEYS[2])
if version ~= '' then redis.call('HSET', KEYS[2], 'ver', version) end
if index ~= '' then redis.call('HSET', KEYS[2], 'idx', index) end
if version ~= '' or index ~= '' then redis.call('PEXPIRE', KEYS[2], ttl) end
return {1, oldIndex or ''}
`;

/** KEYS: value, meta. Returns {1 when the value existed, its index or ''}. */
export const deleteScript = `
local existed = redis.call('EXISTS', KEYS[1])
local index = redis.call('HGET', KEYS[2], 'idx')
redis.call('DEL', KEYS[1], KEYS[2])
return {existed, index or ''}
`;

/** KEYS: index. ARGV: ttl, id. Files the id, scored by its expiry; prunes expired ids; the set lives as long as its longest member. */
export const addToIndexScript = `
${nowMs}
local ttl = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZADD', KEYS[1], now + ttl, ARGV[2])
if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
return 1
`;

/** KEYS: index. Prunes expired ids and returns the others (candidates, to be confirmed by their metadata). */
export const indexCandidatesScript = `
${nowMs}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
return redis.call('ZRANGE', KEYS[1], 0, -1)
`;

/** KEYS: value, meta. ARGV: index. Returns 1 when the value is live and filed under the index. */
export const isFiledScript = `
if redis.call('HGET', KEYS[2], 'idx') == ARGV[1] and redis.call('EXISTS', KEYS[1]) == 1 then return 1 end
return 0
`;

/** KEYS: value, meta. ARGV: index. Deletes the value only if it is filed under the index; returns 1 when a live value was deleted. */
export const deleteIfFiledScript = `
if redis.call('HGET', KEYS[2], 'idx') ~= ARGV[1] then return 0 end
local deleted = redis.call('DEL', KEYS[1])
redis.call('DEL', KEYS[2])
return deleted
`;

/** KEYS: counter. ARGV: windowMs, delta. Returns {count, ms until reset}; a delta <= 0 never starts a window, nor takes a count below 0. */
export const incrementScript = `
local delta = tonumber(ARGV[2])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 and delta <= 0 then
  if ttl == -1 then redis.call('DEL', KEYS[1]) end
  return {0, 0}
end
local count = redis.call('INCRBY', KEYS[1], delta)
if count < 0 and delta < 0 then
  -- a give-back that arrived after its window ended: never below zero in the next one
  count = 0
  redis.call('SET', KEYS[1], 0, 'KEEPTTL')
end
if ttl < 0 then
  ttl = tonumber(ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ttl)
end
return {count, ttl}
`;

/**
 * The start of both sliding-window scripts. KEYS[1]: the window (a sorted set of uses scored by time,
 * on Redis's own clock: one clock for the whole fleet). ARGV[1]: window ms, ARGV[2]: limit. Drops the
 * uses older than the window; leaves `count` uses (some may lie ahead), and `freeAt`, when the window
 * has room for one more: now, or when the limit-th newest use leaves.
 */
const slidingWindow = `
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
${nowMs}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
local freeAt = now
if count >= limit then
  local leaving = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
  freeAt = math.max(now, tonumber(leaving[2]) + window)
end`;

/**
 * KEYS: window. ARGV: windowMs, limit, calls, nonce. Records `calls` uses now and returns 0 when fewer
 * than `limit` are in the window, else records nothing and returns the ms until enough have left.
 */
export const admitScript = `${slidingWindow}
if count >= limit then return math.max(1, freeAt - now) end
for i = 1, tonumber(ARGV[3]) do redis.call('ZADD', KEYS[1], now, ARGV[4] .. ':' .. i) end
-- Only ever extended: a caller with a shorter window must not expire uses a longer one still counts.
if redis.call('PTTL', KEYS[1]) < window then redis.call('PEXPIRE', KEYS[1], window) end
return 0
`;

/**
 * KEYS: window. ARGV: windowMs, limit, max wait ms, member. A place in line: records one use at the
 * earliest time, from now on, when fewer than `limit` uses (made or handed out, some may lie ahead) fall
 * in the window before it, unless that is more than the max wait away. Returns the ms until that time
 * (0: now); more than the max wait means nothing was recorded.
 */
export const reserveScript = `${slidingWindow}
if freeAt - now > tonumber(ARGV[3]) then return freeAt - now end
redis.call('ZADD', KEYS[1], freeAt, ARGV[4])
-- Only ever extended, and long enough for the place handed out to count for a whole window.
if redis.call('PTTL', KEYS[1]) < freeAt - now + window then redis.call('PEXPIRE', KEYS[1], freeAt - now + window) end
return freeAt - now
`;

/** KEYS: lock. ARGV: owner. Deletes the lock only if the owner still holds it. */
export const releaseLockScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
