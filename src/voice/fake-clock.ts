import type { Clock } from './clock.ts';

interface Timer {
  id: number;
  dueMs: number;
  fn: () => void;
}

/** A clock that only moves when told to: timers fire in due order inside `advance`. */
export class FakeClock implements Clock {
  #nowMs: number;
  #timers: Timer[] = [];
  #nextId = 1;

  constructor(startMs = 0) {
    this.#nowMs = startMs;
  }

  now(): number {
    return this.#nowMs;
  }

  setTimer(delayMs: number, fn: () => void): () => void {
    const timer = { id: this.#nextId++, dueMs: this.#nowMs + Math.max(0, delayMs), fn };
    this.#timers.push(timer);
    return () => {
      this.#timers = this.#timers.filter((t) => t.id !== timer.id);
    };
  }

  /** Move time forward by `ms`, firing every timer that falls due (including ones scheduled meanwhile). */
  advance(ms: number): void {
    const endMs = this.#nowMs + ms;
    for (;;) {
      const next = this.#earliest();
      if (!next || next.dueMs > endMs) break;
      this.#timers = this.#timers.filter((t) => t.id !== next.id);
      this.#nowMs = Math.max(this.#nowMs, next.dueMs);
      next.fn();
    }
    this.#nowMs = endMs;
  }

  get pendingTimers(): number {
    return this.#timers.length;
  }

  #earliest(): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.#timers)
      if (!best || t.dueMs < best.dueMs || (t.dueMs === best.dueMs && t.id < best.id)) best = t;
    return best;
  }
}
