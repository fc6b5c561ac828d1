// The per-process quota budget on its own, on fake timers: what the engine's charges do to it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QuotaBudget } from '../client/quotaBudget.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('QuotaBudget.spend (calls made outside the budget, e.g. a sign-in before the user was known)', () => {
  it('counts them, and the window they fill still ends: the next call goes out one period later', async () => {
    const budget = new QuotaBudget(() => Date.now());
    budget.spend('user:1', 5); // e.g. two sign-ins and a pass-through check, and no data call yet
    let sent = false;
    const acquired = budget.acquire('user:1', 15_000).then(() => {
      sent = true;
    });
    await vi.advanceTimersByTimeAsync(4_000);
    expect(sent).toBe(false); // Paymo's window holding those five may still run
    await vi.advanceTimersByTimeAsync(1_100);
    expect(sent).toBe(true);
    await acquired;
  });

  it('leaves room in the window for what was not spent, and only that', async () => {
    const budget = new QuotaBudget(() => Date.now());
    budget.spend('user:2', 2);
    await budget.acquire('user:2', 0); // the probe goes out at once
    // An answer without a `remaining` header: only the charge says the window holds 3 calls.
    budget.settle('user:2', { limit: 5, decayPeriodSeconds: 5 }, Date.now());
    await budget.acquire('user:2', 0);
    await budget.acquire('user:2', 0);
    await expect(budget.acquire('user:2', 0)).rejects.toThrow('quota wait too long');
  });
});
