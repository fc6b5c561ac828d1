import { createHash } from 'node:crypto';
import { Cluster, Redis } from 'ioredis';
import type { ClusterNode } from 'ioredis';
import { PaymoAuthError } from '@paymo/auth-core';
import type { SessionStore, SessionStoreSetOptions } from '@paymo/auth-core';
import {
  addToIndexScript,
  admitScript,
  deleteIfFiledScript,
  deleteScript,
  incrementScript,
  indexCandidatesScript,
  isFiledScript,
  releaseLockScript,
  reserveScript,
  setScript,
} from './luaScripts.js';
import { legacyRedisKey, redisKey } from './redisKeys.js';

/** Options of {@link RedisSessionStore}. */
export interface RedisSessionStoreOptions {
  /**
   * An ioredis client to use: a `Redis` (one server, Sentinel) or a `Cluster`. The store never closes
   * it. For bounded failures create it with `enableOfflineQueue: false` (required for a `Cluster`,
   * checked at construction), `maxRetriesPerRequest: 0` and a `commandTimeout` (the store also bounds
   * every call by `commandTimeoutMs` on its own, but a queued command may still run later).
   */
  client?: Redis | Cluster;
  /** Where to connect when no `client` or `clusterNodes` is given. Default `process.env.REDIS_URL`, then `redis://127.0.0.1:6379`. */
  url?: string;
  /**
   * Startup nodes of a Redis Cluster (e.g. `[{ host: '10.0.0.1', port: 6379 }]`): the store then
   * creates an ioredis `Cluster` client with fail-fast settings instead of a `Redis` one.
   */
  clusterNodes?: ClusterNode[];
  /** Prepended to every key, so several apps can share one Redis. Default `'paymo:'`. Keep braces out of it on a Cluster (a hash tag here would put every key in one slot). */
  keyPrefix?: string;
  /** Longest wait for any operation, in ms; past it the operation rejects with STORE_UNAVAILABLE. Default 500. */
  commandTimeoutMs?: number;
  /** Told about connection errors of a client the store created (they are otherwise silent). */
  onError?: (error: Error) => void;
}

interface Script {
  lua: string;
  sha: string;
}

const script = (lua: string): Script => ({ lua, sha: createHash('sha1').update(lua).digest('hex') });
const scripts = {
  set: script(setScript),
  delete: script(deleteScript),
  addToIndex: script(addToIndexScript),
  indexCandidates: script(indexCandidatesScript),
  isFiled: script(isFiledScript),
  deleteIfFiled: script(deleteIfFiledScript),
  increment: script(incrementScript),
  admit: script(admitScript),
  reserve: script(reserveScript),
  releaseLock: script(releaseLockScript),
};

/** The statuses of an ioredis client that are on their way to `ready`, worth waiting for. */
const connectingStatuses = new Set(['wait', 'connecting', 'connect']);

const configError = (message: string, cause?: unknown) =>
  new PaymoAuthError('CONFIG_ERROR', `RedisSessionStore: ${message}`, cause === undefined ? undefined : { cause: describeError(cause) });

/**
 * A {@link SessionStore} on Redis, so that several app instances share sessions, revocations,
 * rate limits and service-token renewals. Works on one Redis, Sentinel and Redis Cluster: every
 * script is given every key it touches, and those keys share a hash tag (see the README's key table).
 * TTLs are exact milliseconds (`PX`), and indexes are sorted sets scored by expiry, pruned as they are
 * used so they never pile up.
 *
 * When Redis is down or slow, every operation rejects within `commandTimeoutMs` with a
 * `PaymoAuthError('STORE_UNAVAILABLE')` (the engine answers 503), and the store recovers by itself
 * when Redis is back. A client that cannot work throws CONFIG_ERROR: at construction for what the
 * options show, from {@link RedisSessionStore.ready} for what only the server can tell.
 *
 * @example
 * ```ts
 * import { createPaymoAuth } from '@paymo/auth-core';
 * import { RedisSessionStore } from '@paymo/auth-redis';
 *
 * const store = await RedisSessionStore.connect({ url: 'redis://127.0.0.1:6379' });
 * // or, on Redis Cluster: await RedisSessionStore.connect({ clusterNodes: [{ host: '10.0.0.1', port: 6379 }] })
 * const auth = createPaymoAuth({ store });
 * // on shutdown
 * await store.close();
 * ```
 */
export class RedisSessionStore implements SessionStore {
  /**
   * Creates a store and waits for {@link RedisSessionStore.ready}: resolves once the server answered
   * and can run the store's scripts, rejects with CONFIG_ERROR (what to change) or STORE_UNAVAILABLE
   * (unreachable), closing the client it created.
   */
  static async connect(options: RedisSessionStoreOptions = {}): Promise<RedisSessionStore> {
    const store = new RedisSessionStore(options);
    try {
      await store.ready();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  /** The ioredis client in use (the given one, or the one the store created). */
  readonly client: Redis | Cluster;
  readonly #ownsClient: boolean;
  readonly #prefix: string;
  readonly #timeoutMs: number;
  #ready: Promise<void> | undefined;

  constructor(options: RedisSessionStoreOptions = {}) {
    const { keyPrefix = 'paymo:', commandTimeoutMs = 500 } = options;
    if (typeof commandTimeoutMs !== 'number' || !(commandTimeoutMs > 0) || !Number.isFinite(commandTimeoutMs)) {
      throw new TypeError(`RedisSessionStore: commandTimeoutMs must be a finite number > 0, got ${String(commandTimeoutMs)}`);
    }
    this.#timeoutMs = commandTimeoutMs;
    this.#prefix = keyPrefix;
    if (options.client) {
      if (options.client instanceof Cluster && options.client.options.enableOfflineQueue !== false) {
        // With the offline queue on, a Cluster that is failing over or refreshing its slots queues
        // every command: callers time out with 503 while the queue runs their writes minutes later.
        throw configError('a Cluster client must be created with `enableOfflineQueue: false` (ioredis defaults to true).');
      }
      this.client = options.client;
      this.#ownsClient = false;
    } else {
      this.client = options.clusterNodes ? createCluster(options.clusterNodes, commandTimeoutMs) : createRedis(options, commandTimeoutMs);
      this.#ownsClient = true;
      this.client.on('error', (error: Error) => options.onError?.(error));
    }
  }

  /**
   * Connects (if not yet) and checks that the server can serve this store: scripting allowed on every
   * master, and a cluster node reached through a `Cluster` client. Rejects with CONFIG_ERROR saying
   * what to change, or STORE_UNAVAILABLE when no server answers within `commandTimeoutMs`.
   */
  async ready(): Promise<void> {
    const clusterEnabled = await this.#run('ready', async () => /cluster_enabled:1/.test(await this.client.info('cluster')));
    if (clusterEnabled && !(this.client instanceof Cluster)) {
      throw configError('this Redis runs in cluster mode: pass an ioredis `Cluster` client or `clusterNodes` instead of a `Redis` client or url.');
    }
    const masters = this.client instanceof Cluster ? this.client.nodes('master') : [this.client];
    await Promise.all(
      masters.map(async (node) => {
        try {
          await withTimeout(node.eval('return 1', 0), this.#timeoutMs);
        } catch (error) {
          if (error instanceof Error && /unknown command|NOPERM|no permissions|disabled/i.test(error.message)) {
            throw configError(
              'the Redis server refuses Lua scripts (EVAL/EVALSHA), which the store needs for atomic writes: allow scripting (the `@scripting` ACL category, no `rename-command` of EVAL/EVALSHA).',
              error,
            );
          }
          throw new PaymoAuthError('STORE_UNAVAILABLE', 'Redis session store: ready failed', { cause: describeError(error) });
        }
      }),
    );
  }

  async get(key: string): Promise<string | null> {
    return this.#run('get', () => this.client.get(redisKey(this.#prefix, key, 'v')));
  }

  async set(key: string, value: string, ttlMs: number, options?: SessionStoreSetOptions): Promise<boolean> {
    if (typeof value !== 'string') throw new TypeError('RedisSessionStore: values must be strings');
    const px = toPx(ttlMs, 'ttlMs');
    const version = options?.version;
    if (version !== undefined && !Number.isFinite(version)) {
      throw new TypeError(`RedisSessionStore: version must be a finite number, got ${String(version)}`);
    }
    const index = options?.index;
    // The index lives in its own slot, so it is filed in the same round trip but by a second script.
    // Filing before the write is confirmed is safe: readers of an index confirm each member against
    // its metadata, and a refused write leaves only a member that is never confirmed.
    const [[written, oldIndex]] = (await Promise.all([
      this.#eval('set', scripts.set, this.#valueKeys(key), [
        value,
        px,
        version === undefined ? '' : String(version),
        index ?? '',
        options?.onlyIfExists ? '1' : '',
      ]),
      index === undefined ? undefined : this.#eval('set', scripts.addToIndex, [this.#indexKey(index)], [px, key]),
    ])) as [[number, string], unknown];
    if (written === 1 && oldIndex !== '' && oldIndex !== index) await this.#unfile(oldIndex, [key]);
    return written === 1;
  }

  async delete(key: string): Promise<boolean> {
    const [existed, index] = (await this.#eval('delete', scripts.delete, this.#valueKeys(key), [])) as [number, string];
    if (index !== '') await this.#unfile(index, [key]);
    return existed === 1;
  }

  async listIndex(index: string): Promise<string[]> {
    const candidates = (await this.#eval('listIndex', scripts.indexCandidates, [this.#indexKey(index)], [])) as string[];
    const filed = await Promise.all(
      candidates.map((key) => this.#eval('listIndex', scripts.isFiled, this.#valueKeys(key), [index])),
    );
    // Members not confirmed stay until their score expires: one might be a write whose metadata is
    // not in yet, and removing it would hide a live session from a later deleteIndex.
    return candidates.filter((_, i) => filed[i] === 1);
  }

  async deleteIndex(index: string): Promise<number> {
    const candidates = (await this.#eval('deleteIndex', scripts.indexCandidates, [this.#indexKey(index)], [])) as string[];
    const deleted = await Promise.all(
      candidates.map((key) => this.#eval('deleteIndex', scripts.deleteIfFiled, this.#valueKeys(key), [index])),
    );
    // Only what was deleted leaves the index (not DEL): a session filed meanwhile stays findable.
    await this.#unfile(index, candidates.filter((_, i) => deleted[i] === 1));
    return deleted.filter((count) => count === 1).length;
  }

  async increment(key: string, windowMs: number, delta = 1): Promise<{ count: number; resetInMs: number }> {
    const px = toPx(windowMs, 'windowMs');
    if (!Number.isSafeInteger(delta)) throw new TypeError('RedisSessionStore: delta must be an integer');
    const [count, resetInMs] = (await this.#eval('increment', scripts.increment, [redisKey(this.#prefix, key, 'c')], [
      px,
      delta,
    ])) as [number, number];
    return { count, resetInMs };
  }

  async admit(key: string, windowMs: number, limit: number, calls = 1): Promise<number> {
    const px = toPx(windowMs, 'windowMs');
    if (!(limit > 0) || !Number.isSafeInteger(calls) || calls < 1) throw new TypeError('RedisSessionStore: admit needs limit > 0 and calls >= 1');
    const bound = Number.isFinite(limit) ? Math.ceil(limit) : Number.MAX_SAFE_INTEGER;
    return (await this.#eval('admit', scripts.admit, [redisKey(this.#prefix, key, 'w')], [px, bound, calls, crypto.randomUUID()])) as number;
  }

  async reserve(key: string, windowMs: number, limit: number, maxWaitMs: number): Promise<number> {
    const px = toPx(windowMs, 'windowMs');
    if (!(limit > 0) || !(maxWaitMs >= 0)) throw new TypeError('RedisSessionStore: reserve needs limit > 0 and maxWaitMs >= 0');
    const bound = Number.isFinite(limit) ? Math.ceil(limit) : Number.MAX_SAFE_INTEGER;
    const maxWait = Number.isFinite(maxWaitMs) ? Math.floor(maxWaitMs) : Number.MAX_SAFE_INTEGER;
    return (await this.#eval('reserve', scripts.reserve, [redisKey(this.#prefix, key, 'w')], [px, bound, maxWait, crypto.randomUUID()])) as number;
  }

  async acquireLock(key: string, ttlMs: number): Promise<string | null> {
    const px = toPx(ttlMs, 'ttlMs');
    const owner = crypto.randomUUID();
    const reply = await this.#run('acquireLock', () => this.client.set(redisKey(this.#prefix, key, 'l'), owner, 'PX', px, 'NX'));
    return reply === 'OK' ? owner : null;
  }

  async releaseLock(key: string, owner: string): Promise<void> {
    await this.#eval('releaseLock', scripts.releaseLock, [redisKey(this.#prefix, key, 'l')], [owner]);
  }

  /**
   * Moves the sessions, cached verdicts and service tokens written by versions before Redis Cluster
   * support (keys `<prefix>v:<key>`, `m:<key>`, `i:<index>`) to the current layout, keeping each
   * value's remaining TTL, version and index, and deletes the old keys. Run it once after upgrading a
   * single-Redis deployment; it is safe to run again and skips keys already written in the new
   * layout. Old counters and locks are left to expire (they live seconds to minutes). Returns how many
   * values were moved. On a Cluster it does nothing (no earlier version ran there).
   *
   * @example
   * ```ts
   * const store = await RedisSessionStore.connect();
   * await store.migrateLegacyKeys(); // e.g. 1234
   * ```
   */
  async migrateLegacyKeys(): Promise<number> {
    const client = this.client;
    if (client instanceof Cluster) return 0;
    // SCAN matches and returns whole key names; every other command adds the client's keyPrefix itself.
    const outer = client.options.keyPrefix ?? '';
    const scanAll = async (kind: 'v' | 'i', each: (id: string) => Promise<void>) => {
      const start = outer + legacyRedisKey(this.#prefix, '', kind);
      let cursor = '0';
      do {
        const [next, found] = await client.scan(cursor, 'MATCH', `${escapeGlob(start)}*`, 'COUNT', 500);
        cursor = next;
        for (const fullKey of found) await each(fullKey.slice(start.length));
      } while (cursor !== '0');
    };
    let moved = 0;
    await scanAll('v', async (id) => {
      const valueKey = legacyRedisKey(this.#prefix, id, 'v');
      const metaKey = legacyRedisKey(this.#prefix, id, 'm');
      const [value, ttl, meta] = await Promise.all([client.get(valueKey), client.pttl(valueKey), client.hgetall(metaKey)]);
      if (value !== null && ttl > 0 && (await this.get(id)) === null) {
        const version = meta.ver === undefined ? undefined : Number(meta.ver);
        await this.set(id, value, ttl, { version, index: meta.idx || undefined });
        moved += 1;
      }
      await client.del(valueKey, metaKey);
    });
    await scanAll('i', async (index) => {
      await client.del(legacyRedisKey(this.#prefix, index, 'i'));
    });
    return moved;
  }

  /** Closes the connection if the store created it; a client passed in is left to its owner. */
  async close(): Promise<void> {
    if (!this.#ownsClient || this.client.status === 'end') return;
    const ended = new Promise((resolve) => this.client.once('end', resolve));
    try {
      await withTimeout(
        this.client.quit().then(() => ended),
        this.#timeoutMs,
      );
    } catch {
      this.client.disconnect();
    }
  }

  /** A value's key and its metadata's: one hash tag, one slot. */
  #valueKeys(key: string): [string, string] {
    return [redisKey(this.#prefix, key, 'v'), redisKey(this.#prefix, key, 'm')];
  }

  #indexKey(index: string): string {
    return redisKey(this.#prefix, index, 'i');
  }

  /**
   * Removes members from an index, best effort: a member left behind is never confirmed (its
   * metadata says otherwise) and goes when its score expires, so a failure here must not turn a
   * delete that happened into an error.
   */
  async #unfile(index: string, keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await withTimeout(this.client.zrem(this.#indexKey(index), ...keys), this.#timeoutMs).catch(() => {});
  }

  /** EVALSHA, falling back to EVAL (which caches the script) the first time or after a SCRIPT FLUSH. */
  #eval(operation: string, { lua, sha }: Script, keys: string[], args: (string | number)[]): Promise<unknown> {
    return this.#run(operation, async () => {
      try {
        return await this.client.evalsha(sha, keys.length, ...keys, ...args);
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
        return await this.client.eval(lua, keys.length, ...keys, ...args);
      }
    });
  }

  async #run<T>(operation: string, command: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.#timeoutMs;
    try {
      if (connectingStatuses.has(this.client.status)) await withTimeout(this.#whenConnected(), this.#timeoutMs);
      return await withTimeout(command(), Math.max(deadline - Date.now(), 1));
    } catch (error) {
      throw new PaymoAuthError('STORE_UNAVAILABLE', `Redis session store: ${operation} failed`, {
        cause: describeError(error),
      });
    }
  }

  /** Settles when the connection attempt under way ends, ready or not (one set of listeners for all callers). */
  #whenConnected(): Promise<void> {
    if (this.client.status === 'wait') this.client.connect().catch(() => {});
    this.#ready ??= new Promise<void>((resolve) => {
      const settle = () => {
        this.client.off('ready', settle).off('close', settle).off('end', settle);
        this.#ready = undefined;
        resolve();
      };
      this.client.once('ready', settle).once('close', settle).once('end', settle);
    });
    return this.#ready;
  }
}

/** A single-server client that fails fast instead of queueing. */
function createRedis(options: RedisSessionStoreOptions, commandTimeoutMs: number): Redis {
  const url = options.url ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  return new Redis(url, {
    // Fail fast instead of queueing: a command that cannot be sent now rejects now, and nothing
    // runs minutes later after the caller has already answered 503.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: commandTimeoutMs,
    connectTimeout: Math.max(commandTimeoutMs, 2_000),
    // Keep reconnecting for ever, at most a second apart, so the store recovers on its own.
    retryStrategy: (attempt) => Math.min(attempt * 50, 1_000),
    // Commands issued in the same event-loop turn share one socket write; measured by `npm run
    // bench`, a separate write per command cost ~36 µs per request under load.
    enableAutoPipelining: true,
  });
}

/** A Cluster client with the same fail-fast settings, that keeps finding the masters after a failover. */
function createCluster(nodes: ClusterNode[], commandTimeoutMs: number): Cluster {
  return new Cluster(nodes, {
    enableOfflineQueue: false,
    enableAutoPipelining: true,
    clusterRetryStrategy: (attempt) => Math.min(attempt * 50, 1_000),
    // A replica promoted after a failover is found on the next slots refresh (and on MOVED).
    slotsRefreshInterval: 1_000,
    slotsRefreshTimeout: Math.max(commandTimeoutMs, 1_000),
    retryDelayOnFailover: 50,
    retryDelayOnClusterDown: 50,
    redisOptions: {
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      commandTimeout: commandTimeoutMs,
      connectTimeout: Math.max(commandTimeoutMs, 2_000),
    },
  });
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

function toPx(ms: number, what: string): number {
  if (typeof ms !== 'number' || !(ms > 0) || !Number.isFinite(ms)) {
    throw new TypeError(`RedisSessionStore: ${what} must be a finite number of milliseconds > 0, got ${String(ms)}`);
  }
  // PX takes whole milliseconds; rounding up keeps a 0.5 ms TTL from becoming an invalid 0.
  return Math.ceil(ms);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The cause without what ioredis attaches to it (the command and its arguments, i.e. stored values). */
function describeError(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(String(error));
  const safe = new Error(error.message.slice(0, 300));
  safe.name = error.name;
  return safe;
}
