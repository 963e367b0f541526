/**
 * Puts packets back in sequence order. Packets come in by extended sequence number (from
 * ReceiveStatistics) and go out in order as soon as the next one is there. A gap is waited for at
 * most `maxWaitMs` (counted from the arrival of the oldest packet held behind it) or until
 * `maxPackets` are held; then the missing packets are given up as lost. Packets older than what was
 * already released are late and dropped, as are duplicates.
 *
 * The buffer keeps no timers: call `poll(nowMs)` at `nextDeadlineMs()` (the RTP receiver does).
 *
 * A packet that comes in order while nothing is held (nearly all of them) is released without being
 * stored, and `push` returns the same array every time: a call pushes 50 packets a second, and nothing of
 * that should be left for the garbage collector.
 */

export interface JitterBufferOptions {
  maxWaitMs?: number;
  maxPackets?: number;
}

export interface JitterBufferStats {
  released: number;
  late: number;
  duplicates: number;
  /** Sequence numbers given up on (never arrived in time). */
  skipped: number;
}

interface Held<T> {
  item: T;
  arrivalMs: number;
}

export class JitterBuffer<T> {
  readonly #maxWaitMs: number;
  readonly #maxPackets: number;
  readonly #held = new Map<number, Held<T>>();
  /** What `push` returns, emptied on each call. */
  readonly #ready: T[] = [];
  #next: number | undefined;
  readonly #stats: JitterBufferStats = { released: 0, late: 0, duplicates: 0, skipped: 0 };

  constructor(options: JitterBufferOptions = {}) {
    this.#maxWaitMs = options.maxWaitMs ?? 60;
    this.#maxPackets = options.maxPackets ?? 16;
  }

  /**
   * Add a packet; returns the packets now ready, in order, in an array that the next `push` reuses (read
   * it at once).
   */
  push(extendedSequence: number, item: T, arrivalMs: number): readonly T[] {
    const out = this.#ready;
    out.length = 0;
    if (this.#next === undefined) this.#next = extendedSequence;
    if (extendedSequence < this.#next) {
      this.#stats.late++;
      return out;
    }
    if (extendedSequence === this.#next && this.#held.size === 0) {
      this.#next = extendedSequence + 1;
      this.#stats.released++;
      out.push(item);
      return out;
    }
    if (this.#held.has(extendedSequence)) {
      this.#stats.duplicates++;
      return out;
    }
    this.#held.set(extendedSequence, { item, arrivalMs });
    this.#drain(out);
    if (this.#held.size > this.#maxPackets) this.#skipGap(out);
    return out;
  }

  /** Release what waited too long for a missing packet. */
  poll(nowMs: number): T[] {
    const out: T[] = [];
    while (this.#held.size > 0 && this.#oldestArrival() + this.#maxWaitMs <= nowMs) this.#skipGap(out);
    return out;
  }

  /** When `poll` should next be called, if anything is held. */
  nextDeadlineMs(): number | undefined {
    return this.#held.size > 0 ? this.#oldestArrival() + this.#maxWaitMs : undefined;
  }

  /** Forget everything (the source restarted its sequence numbers). */
  reset(): void {
    this.#held.clear();
    this.#next = undefined;
  }

  /** Release everything held, in order, skipping gaps (at the end of a call). */
  flush(): T[] {
    const out: T[] = [];
    while (this.#held.size > 0) this.#skipGap(out);
    return out;
  }

  get size(): number {
    return this.#held.size;
  }

  get stats(): Readonly<JitterBufferStats> {
    return this.#stats;
  }

  #drain(out: T[] = []): T[] {
    for (;;) {
      const next = this.#next as number;
      const held = this.#held.get(next);
      if (!held) return out;
      this.#held.delete(next);
      this.#next = next + 1;
      this.#stats.released++;
      out.push(held.item);
    }
  }

  #skipGap(out: T[]): void {
    const lowest = Math.min(...this.#held.keys());
    this.#stats.skipped += lowest - (this.#next as number);
    this.#next = lowest;
    this.#drain(out);
  }

  #oldestArrival(): number {
    let oldest = Infinity;
    for (const held of this.#held.values()) if (held.arrivalMs < oldest) oldest = held.arrivalMs;
    return oldest;
  }
}
