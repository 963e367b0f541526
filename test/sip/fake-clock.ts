/**
 * A clock whose time moves only when the test says so, for driving SIP timers A–K and the like.
 */
import type { Clock } from '../../src/channels/sip/clock.ts';

interface Pending {
  at: number;
  order: number;
  fn: () => void;
  cancelled: boolean;
}

export class FakeClock implements Clock {
  private time = 0;
  private order = 0;
  private pending: Pending[] = [];

  now(): number {
    return this.time;
  }

  schedule(ms: number, fn: () => void): () => void {
    const timer: Pending = { at: this.time + ms, order: this.order++, fn, cancelled: false };
    this.pending.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  /** Timers still to fire. */
  get scheduled(): number {
    return this.pending.filter((t) => !t.cancelled).length;
  }

  /** Moves time forward by `ms`, firing due timers in order (and those they schedule, if due). */
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      this.pending = this.pending.filter((t) => !t.cancelled);
      const next = this.pending.filter((t) => t.at <= until).sort((a, b) => a.at - b.at || a.order - b.order)[0];
      if (!next) break;
      this.time = next.at;
      next.cancelled = true;
      next.fn();
    }
    this.time = until;
  }
}
