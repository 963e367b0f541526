/**
 * Time for the transaction layer, injectable so that tests can drive timers A–K with a fake clock.
 * All durations are milliseconds.
 */

export interface Clock {
  now(): number;
  /** Calls `fn` once after `ms`; returns a function that cancels it. */
  schedule(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  schedule(ms, fn) {
    const handle = setTimeout(fn, ms);
    return () => clearTimeout(handle);
  },
};

/** The base timer values of RFC 3261 §17 (Table 4), in milliseconds. */
export interface SipTimerValues {
  /** RTT estimate; default 500. */
  t1: number;
  /** Maximum retransmit interval for non-INVITE requests and INVITE responses; default 4000. */
  t2: number;
  /** Maximum duration a message remains in the network; default 5000. */
  t4: number;
}

export const DEFAULT_TIMERS: SipTimerValues = { t1: 500, t2: 4_000, t4: 5_000 };
