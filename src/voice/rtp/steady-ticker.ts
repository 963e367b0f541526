import type { Clock } from '../clock.ts';

/**
 * A 20 ms (or any interval) packet clock that does not drift: tick k is due at start + k·interval on
 * the monotonic clock, and each timer is set for the next due time rather than chained from the
 * previous callback, so lateness never accumulates. When the event loop was blocked, the overdue
 * ticks are sent back to back (up to `maxCatchUp`); beyond that they are skipped, and the tick index
 * (hence the RTP timestamp) still follows real time.
 *
 * Every tick's lateness (actual minus scheduled time) is recorded for `timing()`.
 */

export interface TickTiming {
  ticks: number;
  skipped: number;
  meanDeviationMs: number;
  p99DeviationMs: number;
  maxDeviationMs: number;
}

export interface SteadyTickerOptions {
  clock: Clock;
  intervalMs: number;
  /** Called for each tick with its index since start (0, 1, 2…) and how late it runs. */
  onTick: (tickIndex: number, lateMs: number) => void;
  maxCatchUp?: number;
}

/** Histogram of deviations: 0.1 ms buckets up to 100 ms. */
const BUCKET_MS = 0.1;
const BUCKETS = 1000;

export class SteadyTicker {
  readonly #clock: Clock;
  readonly #intervalMs: number;
  readonly #onTick: (tickIndex: number, lateMs: number) => void;
  readonly #maxCatchUp: number;
  #startMs = 0;
  #nextTick = 0;
  #cancel: (() => void) | undefined;
  #running = false;
  readonly #histogram = new Uint32Array(BUCKETS + 1);
  #ticks = 0;
  #skipped = 0;
  #sumMs = 0;
  #maxMs = 0;

  constructor(options: SteadyTickerOptions) {
    this.#clock = options.clock;
    this.#intervalMs = options.intervalMs;
    this.#onTick = options.onTick;
    this.#maxCatchUp = options.maxCatchUp ?? 3;
  }

  /** Start ticking: tick 0 runs at once. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#startMs = this.#clock.now();
    this.#nextTick = 0;
    this.#run();
  }

  stop(): void {
    this.#running = false;
    this.#cancel?.();
    this.#cancel = undefined;
  }

  get running(): boolean {
    return this.#running;
  }

  timing(): TickTiming {
    let p99 = 0;
    const target = Math.ceil(this.#ticks * 0.99);
    let seen = 0;
    for (let i = 0; i <= BUCKETS; i++) {
      seen += this.#histogram[i] as number;
      if (seen >= target && target > 0) {
        p99 = (i + 1) * BUCKET_MS;
        break;
      }
    }
    return {
      ticks: this.#ticks,
      skipped: this.#skipped,
      meanDeviationMs: this.#ticks ? this.#sumMs / this.#ticks : 0,
      p99DeviationMs: Math.min(p99, this.#maxMs),
      maxDeviationMs: this.#maxMs,
    };
  }

  #run(): void {
    this.#cancel = undefined;
    if (!this.#running) return;
    const now = this.#clock.now();
    const due = Math.floor((now - this.#startMs) / this.#intervalMs);
    if (due - this.#nextTick >= this.#maxCatchUp) {
      const skip = due - this.#nextTick - this.#maxCatchUp + 1;
      this.#skipped += skip;
      this.#nextTick += skip;
    }
    while (this.#running && this.#nextTick <= due) {
      const tick = this.#nextTick++;
      const lateMs = Math.max(0, now - (this.#startMs + tick * this.#intervalMs));
      this.#record(lateMs);
      this.#onTick(tick, lateMs);
    }
    if (!this.#running) return;
    const nextDueMs = this.#startMs + this.#nextTick * this.#intervalMs;
    this.#cancel = this.#clock.setTimer(nextDueMs - this.#clock.now(), () => this.#run());
  }

  #record(lateMs: number): void {
    this.#ticks++;
    this.#sumMs += lateMs;
    if (lateMs > this.#maxMs) this.#maxMs = lateMs;
    this.#histogram[Math.min(BUCKETS, Math.floor(lateMs / BUCKET_MS))]!++;
  }
}
