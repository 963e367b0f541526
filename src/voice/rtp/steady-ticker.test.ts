import { describe, expect, it } from 'vitest';
import { FakeClock } from '../fake-clock.ts';
import { SteadyTicker } from './steady-ticker.ts';

/** A clock whose timers fire late by a given amount each time, like a busy event loop. */
class LateClock extends FakeClock {
  constructor(private readonly lateness: () => number) {
    super(1000);
  }
  override setTimer(delayMs: number, fn: () => void): () => void {
    return super.setTimer(delayMs + this.lateness(), fn);
  }
}

describe('steady 20 ms ticker', () => {
  it('ticks on schedule from its start time', () => {
    const clock = new FakeClock(5000);
    const ticks: Array<[number, number]> = [];
    const ticker = new SteadyTicker({ clock, intervalMs: 20, onTick: (i) => ticks.push([i, clock.now()]) });
    ticker.start();
    clock.advance(100);
    expect(ticks).toEqual([
      [0, 5000],
      [1, 5020],
      [2, 5040],
      [3, 5060],
      [4, 5080],
      [5, 5100],
    ]);
    ticker.stop();
    clock.advance(100);
    expect(ticks.length).toBe(6);
    expect(clock.pendingTimers).toBe(0);
  });

  it('does not drift when every timer fires late: tick k still runs near start + 20k', () => {
    const clock = new LateClock(() => 3);
    const times: number[] = [];
    const ticker = new SteadyTicker({ clock, intervalMs: 20, onTick: () => times.push(clock.now()) });
    ticker.start();
    clock.advance(20 * 1000);
    // Chained setTimeout(20) firing 3 ms late would have managed only 1000/23 ≈ 870 ticks by now.
    expect(times.length).toBeGreaterThanOrEqual(1000);
    const last = times.length - 1;
    expect((times[last] as number) - 1000 - last * 20).toBeLessThanOrEqual(3);
    expect(ticker.timing().maxDeviationMs).toBeLessThanOrEqual(3);
    ticker.stop();
  });

  it('catches up after a stall with a few back-to-back ticks, then skips the rest', () => {
    let stall = 0;
    const clock = new LateClock(() => stall);
    const ticks: number[] = [];
    const ticker = new SteadyTicker({ clock, intervalMs: 20, maxCatchUp: 3, onTick: (i) => ticks.push(i) });
    ticker.start();
    clock.advance(40); // ticks 0,1,2
    stall = 200;
    clock.advance(300);
    stall = 0;
    clock.advance(500);
    ticker.stop();
    const timing = ticker.timing();
    // Two stalls (timers 200 ms late): each time 11 ticks were due, 8 skipped and 3 sent back to back.
    expect(timing.skipped).toBe(16);
    expect(timing.maxDeviationMs).toBe(40);
    // Never more than maxCatchUp ticks back to back, and indices follow real time: the last is the one due now.
    expect(ticks[ticks.length - 1]).toBe(Math.floor((clock.now() - 1000) / 20));
    expect(new Set(ticks).size).toBe(ticks.length);
  });
});
