/**
 * Keys remembered in this process for a while, at most `maxEntries` of them (the oldest go first).
 * For what only saves upstream calls and must never take the store's space (refused credentials).
 */
export class ExpiringKeySet {
  readonly #until = new Map<string, number>();

  constructor(
    private readonly now: () => number,
    private readonly maxEntries = 10_000,
  ) {}

  has(key: string): boolean {
    const until = this.#until.get(key);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.#until.delete(key);
    return false;
  }

  remember(key: string, ttlMs: number): void {
    this.#until.delete(key);
    while (this.#until.size >= this.maxEntries) this.#until.delete(this.#until.keys().next().value as string);
    this.#until.set(key, this.now() + ttlMs);
  }

  forget(key: string): void {
    this.#until.delete(key);
  }
}
