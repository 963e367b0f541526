/**
 * Time as the voice engine sees it: a monotonic millisecond clock and one-shot timers. Production
 * code uses `systemClock`; tests use `FakeClock` (fake-clock.ts) and move time by hand.
 */
export interface Clock {
  /** Monotonic milliseconds (not wall-clock time). */
  now(): number;
  /** Run `fn` once after `delayMs`; returns a function that cancels it. */
  setTimer(delayMs: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  setTimer(delayMs, fn) {
    const handle = setTimeout(fn, Math.max(0, delayMs));
    return () => clearTimeout(handle);
  },
};
