/**
 * The fake's own clock. The `Date` response header, session `created_on`/`expires_on`, expiry checks
 * and rate-limit windows all read it, so a test can move time instead of waiting.
 *
 * By default it runs with real time from its start point (so the CLI and demos behave naturally);
 * `advance()` and `set()` jump it, `freeze()` stops it.
 *
 * @example
 * const fake = await createFakePaymo();
 * fake.clock.advance(31 * 24 * 60 * 60 * 1000 + 1); // every session created before is now expired
 */
export interface FakeClock {
  /** Current fake time, epoch milliseconds. */
  now(): number;
  /** Moves the clock by `ms` (may be negative). Keeps running unless frozen. */
  advance(ms: number): void;
  /** Jumps the clock to `time` (epoch ms or a Date). Keeps running unless frozen. */
  set(time: number | Date): void;
  /** Back to the start: `startTime` (or real time when none was given), running unless created frozen. */
  reset(): void;
  /** Stops the clock at its current time; it then moves only through `advance()`/`set()`. */
  freeze(): void;
  /** Lets a frozen clock run again from its current time. */
  unfreeze(): void;
  /** Whether the clock is frozen. */
  readonly frozen: boolean;
}

/** Options of {@link createClock}. */
export interface ClockOptions {
  /** Where the clock starts (epoch ms or Date). Default: real time. */
  startTime?: number | Date;
  /** Start frozen. Default false. */
  frozen?: boolean;
  /** The real time source. Default `Date.now`. */
  realNow?: () => number;
}

function toMs(time: number | Date, what: string): number {
  const ms = typeof time === 'number' ? time : time instanceof Date ? time.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new TypeError(`${what}: expected epoch milliseconds or a valid Date`);
  return ms;
}

/**
 * Creates a {@link FakeClock}. `createFakePaymo()` makes one for you (`fake.clock`); use this to share a
 * clock between fakes or in unit tests.
 *
 * @example
 * const clock = createClock({ startTime: new Date('2015-01-16T13:54:41Z'), frozen: true });
 * clock.advance(1000);
 * clock.now(); // Date.parse('2015-01-16T13:54:42Z')
 */
export function createClock(options: ClockOptions = {}): FakeClock {
  const realNow = options.realNow ?? Date.now;
  const start = options.startTime === undefined ? undefined : toMs(options.startTime, 'startTime');
  // Fake time is `base` at real time `anchor`; when running it moves with real time from there.
  let base = 0;
  let anchor = 0;
  let frozen = false;

  const now = (): number => (frozen ? base : base + (realNow() - anchor));
  const jumpTo = (ms: number): void => {
    base = ms;
    anchor = realNow();
  };
  const reset = (): void => {
    jumpTo(start ?? realNow());
    frozen = options.frozen ?? false;
  };
  reset();

  return {
    now,
    advance(ms) {
      if (!Number.isFinite(ms)) throw new TypeError('clock.advance: expected a finite number of milliseconds');
      jumpTo(now() + ms);
    },
    set(time) {
      jumpTo(toMs(time, 'clock.set'));
    },
    reset,
    freeze() {
      jumpTo(now());
      frozen = true;
    },
    unfreeze() {
      jumpTo(now());
      frozen = false;
    },
    get frozen() {
      return frozen;
    },
  };
}
