import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPaymoAuthError } from '@paymo/auth-core';
import { RedisSessionStore } from '@paymo/auth-redis';
import { OwnRedisServer, freePort } from './redisTestHelpers.js';

// These tests stop and freeze a redis-server of their own (never the shared one on 6379).
const commandTimeoutMs = 300;
// How late a rejection may come: the timeout plus room for a loaded machine. Without the store's
// bounds an operation would wait for ever (or for ioredis' 20 reconnection attempts).
const rejectionBoundMs = commandTimeoutMs + 1_200;

let server: OwnRedisServer;
let dir: string;
const stores: RedisSessionStore[] = [];
const make = () => {
  const store = new RedisSessionStore({ url: server.url, keyPrefix: 'outage:', commandTimeoutMs });
  stores.push(store);
  return store;
};

const everyOperation = (store: RedisSessionStore) => ({
  get: () => store.get('k'),
  set: () => store.set('k', 'v', 60_000, { index: 'user:1', version: 2 }),
  delete: () => store.delete('k'),
  listIndex: () => store.listIndex('user:1'),
  deleteIndex: () => store.deleteIndex('user:1'),
  increment: () => store.increment('hits', 60_000),
  acquireLock: () => store.acquireLock('lock', 60_000),
  releaseLock: () => store.releaseLock('lock', 'owner'),
});

/** Runs every operation at once; each must reject with STORE_UNAVAILABLE within the bound. */
async function expectAllUnavailable(store: RedisSessionStore): Promise<void> {
  const outcomes = await Promise.all(
    Object.entries(everyOperation(store)).map(async ([name, operation]) => {
      const started = performance.now();
      const error = await operation().then(
        () => undefined,
        (caught: unknown) => caught,
      );
      return { name, code: isPaymoAuthError(error) ? error.code : String(error), ms: performance.now() - started };
    }),
  );
  for (const { name, code, ms } of outcomes) {
    expect(code, name).toBe('STORE_UNAVAILABLE');
    expect(ms, name).toBeLessThan(rejectionBoundMs);
  }
}

/** Polls until the store answers again; fails after 5 s. */
async function expectRecovery(store: RedisSessionStore): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    try {
      await store.get('probe');
      break;
    } catch (error) {
      if (Date.now() > deadline) throw new Error('the store did not recover within 5 s', { cause: error });
      await sleep(50);
    }
  }
  expect(await store.set('k', 'after', 60_000, { index: 'user:1' })).toBe(true);
  expect(await store.get('k')).toBe('after');
  expect(await store.listIndex('user:1')).toEqual(['k']);
  expect((await store.increment('hits', 60_000)).count).toBeGreaterThanOrEqual(1);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paymo-redis-outage-'));
  server = new OwnRedisServer(await freePort(), dir);
  await server.start();
});

afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('RedisSessionStore when Redis fails', () => {
  it('rejects every operation quickly while Redis is down, then recovers by itself when it is back', async () => {
    const store = make();
    expect(await store.set('k', 'before', 60_000)).toBe(true);
    await server.stop();
    await expectAllUnavailable(store);
    await sleep(300); // through a few reconnection attempts
    await expectAllUnavailable(store);
    await server.start();
    await expectRecovery(store);
  });

  it('rejects every operation within the command timeout while Redis hangs, then recovers', async () => {
    const store = make();
    expect(await store.set('k', 'before', 60_000)).toBe(true);
    server.signal('SIGSTOP');
    try {
      await expectAllUnavailable(store);
    } finally {
      server.signal('SIGCONT');
    }
    await expectRecovery(store);
  });

  it('rejects in bounded time when created while Redis is down, and connects once Redis is up', async () => {
    await server.stop();
    const store = make();
    await expectAllUnavailable(store);
    await server.start();
    await expectRecovery(store);
  });

  it('closes promptly while Redis is down', async () => {
    const store = make();
    await store.get('k');
    await server.stop();
    await expectAllUnavailable(store);
    const started = performance.now();
    await store.close();
    expect(performance.now() - started).toBeLessThan(rejectionBoundMs);
    await server.start();
  });
});
