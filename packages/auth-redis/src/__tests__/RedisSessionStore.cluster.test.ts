import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPaymoAuthError } from '@paymo/auth-core';
import { runSessionStoreConformance } from '@paymo/auth-core/testing';
import { RedisSessionStore } from '@paymo/auth-redis';
import { OwnRedisServer, clusterNodes, connectCluster, deleteClusterKeys, freePort } from './redisTestHelpers.js';

// The same store on the three-master cluster the test run starts (scripts/redisCluster.mjs) or is
// given (REDIS_CLUSTER_NODES). Every key of this run lives under one prefix, removed in afterAll.
const runPrefix = `paymo-test:${randomUUID().slice(0, 8)}:`;
let admin: Cluster;

beforeAll(async () => {
  admin = await connectCluster();
});

afterAll(async () => {
  await deleteClusterKeys(admin, runPrefix);
  await admin.quit();
});

runSessionStoreConformance(
  'RedisSessionStore on Redis Cluster',
  () => new RedisSessionStore({ clusterNodes: clusterNodes(), keyPrefix: runPrefix }),
);

const codeOf = (error: unknown) => (isPaymoAuthError(error) ? error.code : error);

describe('RedisSessionStore on Redis Cluster', () => {
  const stores: RedisSessionStore[] = [];
  const make = (keyPrefix = `${runPrefix}own:`) => {
    const store = new RedisSessionStore({ clusterNodes: clusterNodes(), keyPrefix });
    stores.push(store);
    return store;
  };

  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
  });

  it('keeps a value and its metadata in one slot, and spreads sessions over every master', async () => {
    const store = make(`${runPrefix}slots:`);
    const masters = new Set<string>();
    for (let i = 0; i < 30; i++) {
      await store.set(`s${i}`, 'v', 60_000, { index: 'user:1', version: 1 });
      const [valueSlot, metaSlot] = await Promise.all([
        admin.cluster('KEYSLOT', `${runPrefix}slots:{s${i}}:v`),
        admin.cluster('KEYSLOT', `${runPrefix}slots:{s${i}}:m`),
      ]);
      expect(metaSlot).toBe(valueSlot);
      const owner = admin.slots[valueSlot as number]?.[0];
      if (owner) masters.add(owner);
    }
    expect(await admin.exists(`${runPrefix}slots:{s0}:m`)).toBe(1);
    expect(masters.size).toBe(3);
    // One user's sessions live on several masters, and the index still finds and deletes them all.
    expect((await store.listIndex('user:1')).length).toBe(30);
    expect(await store.deleteIndex('user:1')).toBe(30);
    expect(await store.listIndex('user:1')).toEqual([]);
    expect(await admin.exists(`${runPrefix}slots:{s7}:v`)).toBe(0);
  });

  it('holds its limits with hundreds in flight: one lock owner, exact counts, every indexed write listed', async () => {
    const store = make(`${runPrefix}burst:`);
    const owners = await Promise.all(Array.from({ length: 300 }, () => store.acquireLock('renewal', 60_000)));
    expect(owners.filter((owner) => owner !== null)).toHaveLength(1);
    const counts = await Promise.all(Array.from({ length: 300 }, () => store.increment('hits', 60_000)));
    expect(counts.map((result) => result.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    const written = await Promise.all(
      Array.from({ length: 300 }, (_, i) => store.set(`k${i}`, `v${i}`, 60_000, { index: 'user:9' })),
    );
    expect(written.every(Boolean)).toBe(true);
    expect((await store.listIndex('user:9')).length).toBe(300);
    // Sign-out everywhere racing 300 updates of the same sessions: none outlives it.
    const [deleted] = await Promise.all([
      store.deleteIndex('user:9'),
      ...Array.from({ length: 300 }, (_, i) => store.set(`k${i}`, 'late', 60_000, { index: 'user:9', onlyIfExists: true })),
    ]);
    expect(deleted).toBe(300);
    const left = await Promise.all(Array.from({ length: 300 }, (_, i) => store.get(`k${i}`)));
    expect(left.filter((value) => value !== null)).toEqual([]);
  });

  it('answers through a Cluster client of its own with a keyPrefix, and leaves it open on close', async () => {
    const client = await connectCluster({ enableOfflineQueue: false, keyPrefix: `${runPrefix}outer:` });
    try {
      const store = new RedisSessionStore({ client, keyPrefix: 'inner:' });
      await store.ready();
      await store.set('a', 'A', 60_000, { index: 'user:1' });
      expect(await admin.get(`${runPrefix}outer:inner:{a}:v`)).toBe('A');
      expect(await store.listIndex('user:1')).toEqual(['a']);
      await store.close();
      expect(client.status).toBe('ready');
    } finally {
      await client.quit();
    }
  });
});

describe('a client that cannot work fails at start-up with CONFIG_ERROR', () => {
  it('refuses a Cluster client that keeps the offline queue on, and says what to change', () => {
    const client = new Cluster(clusterNodes(), { lazyConnect: true });
    const error = (() => {
      try {
        new RedisSessionStore({ client });
      } catch (caught) {
        return caught;
      }
    })();
    expect(codeOf(error)).toBe('CONFIG_ERROR');
    expect((error as Error).message).toMatch(/enableOfflineQueue: false/);
    client.disconnect();
  });

  it('refuses a plain Redis client pointed at a cluster node', async () => {
    const node = clusterNodes()[0]!;
    const error = await RedisSessionStore.connect({ url: `redis://${node.host}:${node.port}` }).catch((caught: unknown) => caught);
    expect(codeOf(error)).toBe('CONFIG_ERROR');
    expect((error as Error).message).toMatch(/Cluster/);
  });

  it('refuses a server where Lua scripting is disabled', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paymo-noscript-'));
    const server = new OwnRedisServer(await freePort(), dir, ['--rename-command', 'EVAL', '', '--rename-command', 'EVALSHA', '']);
    await server.start();
    try {
      // Without the check this store would construct fine and fail every write with a generic 503.
      const check = new Redis(server.url);
      await expect(check.eval('return 1', 0)).rejects.toThrow(/unknown command/i);
      check.disconnect();
      const error = await RedisSessionStore.connect({ url: server.url }).catch((caught: unknown) => caught);
      expect(codeOf(error)).toBe('CONFIG_ERROR');
      expect((error as Error).message).toMatch(/scripting/);
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers STORE_UNAVAILABLE, not CONFIG_ERROR, when nothing listens', async () => {
    const error = await RedisSessionStore.connect({ url: `redis://127.0.0.1:${await freePort()}`, commandTimeoutMs: 200 }).catch(
      (caught: unknown) => caught,
    );
    expect(codeOf(error)).toBe('STORE_UNAVAILABLE');
  });
});
