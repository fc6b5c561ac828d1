import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPaymoAuthError } from '@paymo/auth-core';
import { runSessionStoreConformance } from '@paymo/auth-core/testing';
import { RedisSessionStore } from '@paymo/auth-redis';
import { connectRedis, deleteKeys, redisUrl } from './redisTestHelpers.js';

// Every key of this run lives under one prefix, removed in afterAll, so runs never see each other.
const runPrefix = `paymo-test:${randomUUID().slice(0, 8)}:`;
let admin: Redis;

beforeAll(async () => {
  admin = await connectRedis();
});

afterAll(async () => {
  await deleteKeys(admin, runPrefix);
  expect(await admin.keys(`${runPrefix}*`)).toEqual([]);
  await admin.quit();
});

runSessionStoreConformance('RedisSessionStore', () => new RedisSessionStore({ url: redisUrl, keyPrefix: runPrefix }));

describe('RedisSessionStore on Redis', () => {
  const stores: RedisSessionStore[] = [];
  const make = (keyPrefix = `${runPrefix}own:`) => {
    const store = new RedisSessionStore({ url: redisUrl, keyPrefix });
    stores.push(store);
    return store;
  };

  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    for (const store of stores) expect(store.client.status).toBe('end');
  });

  it('stores TTLs as exact milliseconds (PX), metadata expiring with the value', async () => {
    const store = make(`${runPrefix}px:`);
    await store.set('k', 'v', 61_234, { version: 1, index: 'u' });
    // Both read in one round trip; the bounds leave seconds of slack for a loaded machine.
    const [[, valueTtl], [, metaTtl]] = (await admin.multi().pttl(`${runPrefix}px:{k}:v`).pttl(`${runPrefix}px:{k}:m`).exec()) as [
      [null, number],
      [null, number],
    ];
    expect(valueTtl).toBeGreaterThan(56_000);
    expect(valueTtl).toBeLessThanOrEqual(61_234);
    expect(Math.abs(metaTtl - valueTtl)).toBeLessThan(50);
    await store.set('plain', 'v', 60_000);
    expect(await admin.exists(`${runPrefix}px:{plain}:m`)).toBe(0);
  });

  it('keeps an index as a sorted set scored by expiry, pruned on use, expiring with its longest member', async () => {
    const store = make(`${runPrefix}zset:`);
    const indexKey = `${runPrefix}zset:{user:1}:i`;
    // TTLs far apart, so a slow round trip cannot prune a, b or c before live is written.
    for (const key of ['a', 'b', 'c']) await store.set(key, 'v', 500, { index: 'user:1' });
    await store.set('live', 'v', 2_500, { index: 'user:1' });
    const [member, score] = await admin.zrange(indexKey, '-1', '-1', 'WITHSCORES');
    const [seconds, micros] = await admin.time();
    expect(member).toBe('live');
    expect(Number(score) - (Number(seconds) * 1_000 + Math.floor(Number(micros) / 1_000))).toBeGreaterThan(1_500);
    await sleep(600);
    expect(await admin.zcard(indexKey)).toBe(4);
    expect(await store.listIndex('user:1')).toEqual(['live']);
    expect(await admin.zcard(indexKey)).toBe(1);
    expect(await admin.pttl(indexKey)).toBeGreaterThan(0);
    // Nobody reads the index again: it still goes away with its last member.
    await expect.poll(() => admin.exists(indexKey), { timeout: 10_000, interval: 100 }).toBe(0);
  });

  it('prunes expired members on every write to the index, so a busy index never piles up', async () => {
    const store = make(`${runPrefix}busy:`);
    for (let i = 0; i < 30; i++) await store.set(`old${i}`, 'v', 30, { index: 'user:1' });
    await sleep(60);
    await store.set('new', 'v', 60_000, { index: 'user:1' });
    expect(await admin.zrange(`${runPrefix}busy:{user:1}:i`, '0', '-1')).toEqual(['new']);
  });

  it('works with a client of its own that has a keyPrefix, and leaves that client open on close', async () => {
    const client = await connectRedis(redisUrl, { keyPrefix: `${runPrefix}outer:` });
    try {
      const store = new RedisSessionStore({ client, keyPrefix: 'inner:' });
      await store.set('a', 'A', 60_000, { index: 'user:1' });
      await store.set('b', 'B', 60_000, { index: 'user:1' });
      expect(await admin.get(`${runPrefix}outer:inner:{a}:v`)).toBe('A');
      expect((await store.listIndex('user:1')).sort()).toEqual(['a', 'b']);
      await store.set('a', 'A2', 60_000, { index: 'user:2' });
      expect(await store.listIndex('user:1')).toEqual(['b']);
      expect(await store.deleteIndex('user:1')).toBe(1);
      expect(await admin.exists(`${runPrefix}outer:inner:{b}:v`)).toBe(0);
      expect(await store.delete('a')).toBe(true);
      expect(await admin.zcard(`${runPrefix}outer:inner:{user:2}:i`)).toBe(0);
      await store.close();
      expect(client.status).toBe('ready');
    } finally {
      await client.quit();
    }
  });

  it('moves sessions of the layout before Cluster support to the new one, keeping TTL, version and index', async () => {
    const prefix = `${runPrefix}legacy[1]:`;
    const store = make(prefix);
    // What the previous version wrote: v:<key> with PX, m:<key> {ver, idx}, i:<index> scored by expiry.
    const [seconds] = await admin.time();
    const now = Number(seconds) * 1_000;
    for (const key of ['s1', 's2']) {
      await admin.set(`${prefix}v:${key}`, `session ${key}`, 'PX', 60_000);
      await admin.hset(`${prefix}m:${key}`, 'ver', '3', 'idx', 'user:7');
      await admin.pexpire(`${prefix}m:${key}`, 60_000);
      await admin.zadd(`${prefix}i:user:7`, now + 60_000, key);
    }
    await admin.set(`${prefix}v:plain`, 'plain', 'PX', 5_000);
    // Already written in the new layout after the upgrade: newer than the old copy, must win.
    await store.set('s2', 'newer', 60_000, { index: 'user:7', version: 4 });
    await admin.set(`${prefix}v:s2`, 'older', 'PX', 60_000);

    expect(await store.migrateLegacyKeys()).toBe(2);
    expect(await store.get('s1')).toBe('session s1');
    expect(await store.get('s2')).toBe('newer');
    expect(await store.get('plain')).toBe('plain');
    const ttl = await admin.pttl(`${prefix}{plain}:v`);
    expect(ttl).toBeGreaterThan(4_000);
    expect(ttl).toBeLessThanOrEqual(5_000);
    expect((await store.listIndex('user:7')).sort()).toEqual(['s1', 's2']);
    expect(await store.set('s1', 'stale', 60_000, { version: 2 })).toBe(false);
    const oldKeys = ['s1', 's2', 'plain'].flatMap((key) => [`${prefix}v:${key}`, `${prefix}m:${key}`]);
    expect(await admin.exists(...oldKeys)).toBe(0);
    expect(await admin.exists(`${prefix}i:user:7`)).toBe(0);
    expect(await store.migrateLegacyKeys()).toBe(0);
    expect(await store.deleteIndex('user:7')).toBe(2);
  });

  it('reloads its scripts after SCRIPT FLUSH', async () => {
    const store = make();
    await store.set('before', 'v', 60_000, { index: 'x' });
    await admin.script('FLUSH');
    expect(await store.set('after', 'v', 60_000, { index: 'x' })).toBe(true);
    expect((await store.listIndex('x')).sort()).toEqual(['after', 'before']);
  });

  it('rejects bad TTLs with a TypeError before any round trip', async () => {
    const store = make();
    await expect(store.set('k', 'v', 0)).rejects.toBeInstanceOf(TypeError);
    await expect(store.set('k', 'v', -1)).rejects.toBeInstanceOf(TypeError);
    await expect(store.increment('k', Number.NaN)).rejects.toBeInstanceOf(TypeError);
    await expect(store.acquireLock('k', Number.POSITIVE_INFINITY)).rejects.toBeInstanceOf(TypeError);
    await expect(store.set('k', 'v', 1_000, { version: Number.NaN })).rejects.toBeInstanceOf(TypeError);
    expect(() => new RedisSessionStore({ client: admin, commandTimeoutMs: 0 })).toThrow(TypeError);
  });

  it('rounds a sub-millisecond TTL up instead of sending an invalid PX 0', async () => {
    const store = make();
    expect(await store.set('tiny', 'v', 0.4)).toBe(true);
  });

  it('reports a Redis error as STORE_UNAVAILABLE without the stored value in the error', async () => {
    const store = make(`${runPrefix}wrongtype:`);
    await store.set('k', 'v', 60_000);
    await admin.set(`${runPrefix}wrongtype:{k}:m`, 'not a hash');
    const secret = 'session-value-that-must-not-leak';
    const error = await store.set('k', secret, 60_000).catch((caught: unknown) => caught);
    expect(isPaymoAuthError(error) && error.code).toBe('STORE_UNAVAILABLE');
    const cause = (error as Error).cause as Error;
    expect(cause.message).toMatch(/WRONGTYPE/);
    expect(JSON.stringify({ error, cause, props: Object.entries(cause) })).not.toContain(secret);
    expect(String(cause.stack) + (error as Error).stack).not.toContain(secret);
  });

  it('rejects with STORE_UNAVAILABLE once closed', async () => {
    const store = make();
    await store.get('x');
    await store.close();
    const error = await store.get('x').catch((caught: unknown) => caught);
    expect(isPaymoAuthError(error) && error.code).toBe('STORE_UNAVAILABLE');
  });

  it('serves a first request made while still connecting', async () => {
    const store = make();
    expect(store.client.status).not.toBe('ready');
    expect(await store.set('early', 'v', 60_000)).toBe(true);
    expect(await store.get('early')).toBe('v');
  });
});
