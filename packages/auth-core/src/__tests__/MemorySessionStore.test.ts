import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemorySessionStore } from '@paymo/auth-core';
import { runSessionStoreConformance } from '@paymo/auth-core/testing';

runSessionStoreConformance('MemorySessionStore', () => new MemorySessionStore());

describe('MemorySessionStore', () => {
  let time = 1_000_000;
  const now = () => time;
  const stores: MemorySessionStore[] = [];
  const make = (options: ConstructorParameters<typeof MemorySessionStore>[0] = {}) => {
    const store = new MemorySessionStore({ now, ...options });
    stores.push(store);
    return store;
  };

  afterEach(async () => {
    vi.useRealTimers();
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });

  it('rejects invalid TTLs and options with a TypeError', async () => {
    const store = make();
    for (const ttl of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(store.set('k', 'v', ttl)).rejects.toBeInstanceOf(TypeError);
      await expect(store.increment('k', ttl)).rejects.toBeInstanceOf(TypeError);
      await expect(store.acquireLock('k', ttl)).rejects.toBeInstanceOf(TypeError);
    }
    await expect(store.set('k', 42 as unknown as string, 1_000)).rejects.toBeInstanceOf(TypeError);
    await expect(store.set('k', 'v', 1_000, { version: Number.NaN })).rejects.toBeInstanceOf(TypeError);
    expect(() => new MemorySessionStore({ maxEntries: 0 })).toThrow(TypeError);
    expect(() => new MemorySessionStore({ sweepIntervalMs: 0 })).toThrow(TypeError);
    expect(store.stats().values).toBe(0);
  });

  it('expires at the exact millisecond on read', async () => {
    const store = make();
    await store.set('k', 'v', 1_500);
    time += 1_499;
    expect(await store.get('k')).toBe('v');
    time += 1;
    expect(await store.get('k')).toBeNull();
    expect(store.stats().values).toBe(0);
  });

  it('holds at most maxEntries values and evicts the least recently written', async () => {
    const store = make({ maxEntries: 3 });
    await store.set('a', '1', 60_000);
    await store.set('b', '2', 60_000);
    await store.set('c', '3', 60_000);
    await store.get('a'); // reads do not refresh: eviction follows writes
    await store.set('b', '2b', 60_000); // a write does
    await store.set('d', '4', 60_000);
    expect(await store.get('a')).toBeNull();
    expect(await store.get('b')).toBe('2b');
    expect(await store.get('c')).toBe('3');
    expect(await store.get('d')).toBe('4');
    expect(store.stats().values).toBe(3);
    for (let i = 0; i < 100; i++) await store.set(`many${i}`, 'v', 60_000);
    expect(store.stats().values).toBe(3);
    expect(await store.get('many99')).toBe('v');
  });

  it('removes an evicted key from its index', async () => {
    const store = make({ maxEntries: 2 });
    await store.set('a', '1', 60_000, { index: 'user:1' });
    await store.set('b', '2', 60_000, { index: 'user:1' });
    await store.set('c', '3', 60_000, { index: 'user:2' });
    expect(await store.listIndex('user:1')).toEqual(['b']);
    expect(store.stats()).toMatchObject({ values: 2, indexes: 2, indexedKeys: 2 });
    await store.set('d', '4', 60_000);
    await store.set('e', '5', 60_000);
    expect(store.stats()).toMatchObject({ values: 2, indexes: 0, indexedKeys: 0 });
  });

  it('bounds counters and locks by maxEntries too', async () => {
    const store = make({ maxEntries: 5 });
    for (let i = 0; i < 50; i++) {
      await store.increment(`ip:${i}`, 60_000);
      await store.acquireLock(`lock:${i}`, 60_000);
    }
    expect(store.stats()).toMatchObject({ counters: 5, locks: 5 });
    expect((await store.increment('ip:49', 60_000)).count).toBe(2);
  });

  it('sweeps expired values, index entries, counters and locks that nobody reads again', async () => {
    const store = make();
    for (let i = 0; i < 1_000; i++) {
      await store.set(`s${i}`, 'v', 1_000, { index: `user:${i % 10}` });
      await store.increment(`c${i}`, 1_000);
      await store.acquireLock(`l${i}`, 1_000);
    }
    await store.set('survivor', 'v', 10_000, { index: 'user:0' });
    expect(store.stats()).toEqual({ values: 1_001, indexes: 10, indexedKeys: 1_001, counters: 1_000, locks: 1_000 });
    time += 1_000;
    store.sweep();
    expect(store.stats()).toEqual({ values: 1, indexes: 1, indexedKeys: 1, counters: 0, locks: 0 });
    expect(await store.listIndex('user:0')).toEqual(['survivor']);
  });

  it('sweeps on a timer that does not keep the process alive', () => {
    const spy = vi.spyOn(globalThis, 'setInterval');
    make({ sweepIntervalMs: 5_000 });
    const timer = spy.mock.results[0]?.value as NodeJS.Timeout;
    spy.mockRestore();
    expect(timer.hasRef()).toBe(false);
  });

  it('runs the sweep every sweepIntervalMs', async () => {
    vi.useFakeTimers();
    const store = make({ sweepIntervalMs: 5_000 });
    await store.set('k', 'v', 1_000, { index: 'i' });
    time += 2_000;
    expect(store.stats().values).toBe(1);
    vi.advanceTimersByTime(5_000);
    expect(store.stats()).toMatchObject({ values: 0, indexes: 0 });
  });

  it('stops sweeping on close', async () => {
    vi.useFakeTimers();
    const store = make({ sweepIntervalMs: 5_000 });
    const sweep = vi.spyOn(store, 'sweep');
    vi.advanceTimersByTime(5_000);
    expect(sweep).toHaveBeenCalledTimes(1);
    await store.close();
    vi.advanceTimersByTime(50_000);
    expect(sweep).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps index bookkeeping bounded when keys are deleted, moved and rewritten', async () => {
    const store = make();
    for (let round = 0; round < 100; round++) {
      await store.set('k', `v${round}`, 60_000, { index: `user:${round}` });
    }
    expect(store.stats()).toMatchObject({ values: 1, indexes: 1, indexedKeys: 1 });
    await store.delete('k');
    expect(store.stats()).toMatchObject({ values: 0, indexes: 0, indexedKeys: 0 });
    await store.set('a', 'v', 60_000, { index: 'u' });
    await store.set('b', 'v', 60_000, { index: 'u' });
    expect(await store.deleteIndex('u')).toBe(2);
    expect(store.stats()).toMatchObject({ values: 0, indexes: 0, indexedKeys: 0 });
  });

  it('keeps sliding windows bounded by maxEntries, and sweeps the idle ones', async () => {
    const store = make({ maxEntries: 3 });
    for (let i = 0; i < 10; i++) expect(await store.admit(`w${i}`, 1_000, 1)).toBe(0);
    // Only the newest three windows are kept: an evicted one admits again (looser, never stricter).
    expect(await store.admit('w9', 1_000, 1)).toBeGreaterThan(0);
    expect(await store.admit('w0', 1_000, 1)).toBe(0);
    time += 1_001;
    store.sweep();
    expect(await store.admit('w9', 1_000, 1)).toBe(0);
    await expect(store.admit('w', 0, 1)).rejects.toThrow(TypeError);
    await expect(store.admit('w', 1_000, 0)).rejects.toThrow(TypeError);
  });

  it('reads the clock from the now option for counters and locks', async () => {
    const store = make();
    expect(await store.increment('c', 1_000)).toEqual({ count: 1, resetInMs: 1_000 });
    time += 400;
    expect(await store.increment('c', 1_000)).toEqual({ count: 2, resetInMs: 600 });
    time += 600;
    expect(await store.increment('c', 1_000)).toEqual({ count: 1, resetInMs: 1_000 });
    const owner = await store.acquireLock('l', 100);
    time += 99;
    expect(await store.acquireLock('l', 100)).toBeNull();
    time += 1;
    expect(await store.acquireLock('l', 100)).not.toBe(owner);
  });

  it('never lets a flood of new counter keys reset a counter: evicted counts come back, never lower', async () => {
    const store = new MemorySessionStore({ maxEntries: 20 });
    for (let i = 0; i < 6; i++) await store.increment('rl:locked', 60_000);
    // 5 000 distinct keys, all in flight at once, push every old counter out of the map.
    await Promise.all(Array.from({ length: 5_000 }, (_, i) => store.increment(`rl:flood:${i}`, 60_000)));
    expect(store.stats().counters).toBeLessThanOrEqual(20);
    const after = await store.increment('rl:locked', 60_000);
    expect(after.count).toBeGreaterThanOrEqual(7);
    expect(after.resetInMs).toBeGreaterThan(50_000);
    // A give-back or a read of an absent counter never starts a window (nor reads another key's slot).
    expect(await store.increment('rl:never-seen', 60_000, 0)).toEqual({ count: 0, resetInMs: 0 });
    await store.close();
  });
});

