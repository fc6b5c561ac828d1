// setTimeout fires at once for delays above 2^31 - 1 ms (~24.8 days); Paymo sessions last 31 days.
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * Runs `callback` once at the wall-clock time `atMs` (at once if it is past), with one timer at a
 * time, never polling. Returns a cancel function.
 */
export function scheduleAt(atMs: number, callback: () => void, now: () => number = Date.now): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    const delay = atMs - now();
    if (delay <= 0) {
      timer = undefined;
      callback();
      return;
    }
    timer = setTimeout(arm, Math.min(delay, MAX_DELAY_MS));
  };
  arm();
  return () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
}
