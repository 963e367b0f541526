import type { Clock } from '../clock.ts';
import { sharedPacketClock, type PacketClock } from './packet-clock.ts';

/**
 * One stream's 20 ms (or any interval) packet clock that does not drift: tick k is due at start + k·interval
 * on the monotonic clock, so lateness never accumulates. The ticks come from the process-wide
 * `PacketClock` of that interval (one timer for every call), on the grid of the phase it gives this stream,
 * so the start is that phase's first grid point at or after `start()`: at once for a lone stream, otherwise
 * within one interval. When the event loop was blocked, the overdue ticks are sent back to back (up to
 * `maxCatchUp`); beyond that they are skipped, and the tick index (hence the RTP timestamp) still follows
 * real time.
 *
 * Every tick's lateness (when it ran minus when it was due) is recorded for `timing()`, per stream: it
 * includes the time the shared clock spent on the streams served before this one.
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
  /** The clock to tick on; default the process-wide one of `clock` and `intervalMs`. */
  packetClock?: PacketClock;
}

/** Histogram of deviations: 0.1 ms buckets up to 100 ms. */
const BUCKET_MS = 0.1;
const BUCKETS = 1000;

export class SteadyTicker {
  readonly #clock: Clock;
  readonly #packetClock: PacketClock;
  readonly #onTick: (tickIndex: number, lateMs: number) => void;
  readonly #maxCatchUp: number;
  /** The packet clock's phase for this stream, and the index of tick 0 on that phase's grid. */
  #phase = 0;
  #startIndex = 0;
  #nextTick = 0;
  #unsubscribe: (() => void) | undefined;
  readonly #onGrid = (gridIndex: number): void => this.#onPacketClock(gridIndex);
  #running = false;
  readonly #histogram = new Uint32Array(BUCKETS + 1);
  #ticks = 0;
  #skipped = 0;
  #sumMs = 0;
  #maxMs = 0;

  constructor(options: SteadyTickerOptions) {
    this.#clock = options.clock;
    this.#packetClock = options.packetClock ?? sharedPacketClock(options.clock, options.intervalMs);
    this.#onTick = options.onTick;
    this.#maxCatchUp = options.maxCatchUp ?? 3;
  }

  /** Start ticking: tick 0 runs on the next grid point of its phase, at once when that is now. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    // Subscribe first: the first subscriber of an idle packet clock anchors its grid at now.
    const subscription = this.#packetClock.subscribe(this.#onGrid);
    this.#unsubscribe = subscription.unsubscribe;
    this.#phase = subscription.phase;
    const now = this.#clock.now();
    this.#startIndex = this.#packetClock.indexAtOrAfter(this.#phase, now);
    this.#nextTick = 0;
    if (this.#packetClock.timeOf(this.#phase, this.#startIndex) <= now) this.#run(0);
  }

  stop(): void {
    this.#running = false;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
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

  /**
   * The packet clock reached grid point `gridIndex` of this stream's phase. Time may have moved on since
   * (the clock serves the streams one after another): what is due is reckoned from now, so that a stream
   * served late in a long tick catches up to the present rather than sending stale ticks.
   */
  #onPacketClock(gridIndex: number): void {
    const latest = Math.max(gridIndex, this.#packetClock.indexAt(this.#phase, this.#clock.now()));
    this.#run(latest - this.#startIndex);
  }

  /** Tick `due` (since start) is the latest due now: send what is overdue, within the catch-up limit. */
  #run(due: number): void {
    if (!this.#running || due < this.#nextTick) return;
    if (due - this.#nextTick >= this.#maxCatchUp) {
      const skip = due - this.#nextTick - this.#maxCatchUp + 1;
      this.#skipped += skip;
      this.#nextTick += skip;
    }
    while (this.#running && this.#nextTick <= due) {
      const tick = this.#nextTick++;
      const lateMs = Math.max(0, this.#clock.now() - this.#packetClock.timeOf(this.#phase, this.#startIndex + tick));
      this.#record(lateMs);
      this.#onTick(tick, lateMs);
    }
  }

  #record(lateMs: number): void {
    this.#ticks++;
    this.#sumMs += lateMs;
    if (lateMs > this.#maxMs) this.#maxMs = lateMs;
    this.#histogram[Math.min(BUCKETS, Math.floor(lateMs / BUCKET_MS))]!++;
  }
}
