import { describe, expect, it } from 'vitest';
import { FakeClock } from '../fake-clock.ts';
import { PacketClock, sharedPacketClock } from './packet-clock.ts';
import { SteadyTicker } from './steady-ticker.ts';

/** A fake clock on which work done in a timer callback takes time (`busyMs` so far), like sending a packet does. */
class BusyClock extends FakeClock {
  busyMs = 0;
  override now(): number {
    return super.now() + this.busyMs;
  }
  override setTimer(delayMs: number, fn: () => void): () => void {
    return super.setTimer(delayMs, () => {
      this.busyMs = 0;
      fn();
    });
  }
}

/**
 * A fake clock whose timers fire late (a busy event loop) or early: Node counts whole milliseconds of a
 * loop time that may lag, but waits at least 1 ms.
 */
class SkewedClock extends FakeClock {
  constructor(private readonly skew: () => number) {
    super(1000);
  }
  override setTimer(delayMs: number, fn: () => void): () => void {
    return super.setTimer(delayMs >= 2 ? delayMs + this.skew() : Math.max(1, delayMs), fn);
  }
}

type Log = Array<[string, number, number]>;

/** A ticker on `packetClock` that logs its ticks as [name, tick index, time]. */
function ticker(packetClock: PacketClock, log: Log, name: string, maxCatchUp = 3): SteadyTicker {
  const clock = packetClock.clock;
  return new SteadyTicker({
    clock,
    intervalMs: packetClock.intervalMs,
    packetClock,
    maxCatchUp,
    onTick: (tick) => log.push([name, tick, clock.now()]),
  });
}

/** One grid for all streams, to follow indices and times by hand. */
const singlePhase = (clock: FakeClock): PacketClock => new PacketClock(clock, 20, { phases: 1 });

describe('shared packet clock', () => {
  it('drives every stream of an interval from one timer, each with its own tick index from its own start', () => {
    const clock = new FakeClock(1000);
    const packetClock = singlePhase(clock);
    const log: Log = [];
    const a = ticker(packetClock, log, 'a');
    const b = ticker(packetClock, log, 'b');
    a.start(); // anchors the grid: tick 0 at once
    clock.advance(27);
    b.start(); // between grid points: tick 0 on the next one (1040)
    clock.advance(33);
    expect(log).toEqual([
      ['a', 0, 1000],
      ['a', 1, 1020],
      ['a', 2, 1040],
      ['b', 0, 1040],
      ['a', 3, 1060],
      ['b', 1, 1060],
    ]);
    expect(clock.pendingTimers).toBe(1);
    expect(packetClock.subscribers).toBe(2);
    a.stop();
    b.stop();
    expect(clock.pendingTimers).toBe(0);
  });

  it('is one per interval and per Clock', () => {
    const clock = new FakeClock();
    expect(sharedPacketClock(clock, 20)).toBe(sharedPacketClock(clock, 20));
    expect(sharedPacketClock(clock, 30)).not.toBe(sharedPacketClock(clock, 20));
    expect(sharedPacketClock(new FakeClock(), 20)).not.toBe(sharedPacketClock(clock, 20));
    expect(sharedPacketClock(clock, 20).phases).toBe(10);
  });

  it('spreads the streams over the phases of the interval, so that they are not all served at once', () => {
    const clock = new FakeClock(1000);
    const packetClock = sharedPacketClock(clock, 20);
    const log: Log = [];
    const tickers = Array.from({ length: 25 }, (_, i) => ticker(packetClock, log, `s${i}`));
    for (const t of tickers) t.start();
    expect(packetClock.load).toEqual([3, 3, 3, 3, 3, 2, 2, 2, 2, 2]);
    clock.advance(40);
    // Stream 1 took phase 1 (2 ms after phase 0), stream 10 phase 0 again (the grid point now, at once).
    const times = (name: string): number[] => log.filter(([n]) => n === name).map(([, , at]) => at);
    expect(times('s0')).toEqual([1000, 1020, 1040]);
    expect(times('s1')).toEqual([1002, 1022]);
    expect(times('s9')).toEqual([1018, 1038]);
    expect(times('s10')).toEqual([1000, 1020, 1040]);
    expect(log.filter(([, tick]) => tick === 1)).toHaveLength(25);
    expect(clock.pendingTimers).toBe(1);
    // A stream that leaves frees its place for the next one.
    tickers[1]?.stop();
    const late = ticker(packetClock, log, 'late');
    late.start();
    expect(packetClock.load).toEqual([3, 3, 3, 3, 3, 2, 2, 2, 2, 2]);
    for (const t of [...tickers, late]) t.stop();
    expect(packetClock.subscribers).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('starts on the grid point it falls on, and anchors a new grid once every stream has left', () => {
    const clock = new FakeClock(0);
    const packetClock = singlePhase(clock);
    const log: Log = [];
    const a = ticker(packetClock, log, 'a');
    const b = ticker(packetClock, log, 'b');
    a.start();
    clock.advance(40);
    b.start(); // exactly on grid point 2: at once
    expect(log.slice(-2)).toEqual([
      ['a', 2, 40],
      ['b', 0, 40],
    ]);
    a.stop();
    b.stop();
    clock.advance(5);
    const c = ticker(packetClock, log, 'c');
    c.start(); // idle clock: a new grid from now
    clock.advance(20);
    expect(log.slice(-2)).toEqual([
      ['c', 0, 45],
      ['c', 1, 65],
    ]);
    c.stop();
  });

  it('catches up and skips per stream after a stall, tick indices following real time', () => {
    let late = 0;
    const clock = new SkewedClock(() => late);
    const packetClock = singlePhase(clock);
    const log: Log = [];
    const a = ticker(packetClock, log, 'a', 3);
    const b = ticker(packetClock, log, 'b', 2);
    a.start();
    clock.advance(10);
    b.start(); // grid point 1 (1020)
    clock.advance(30); // a: 0, 1, 2; b: 0, 1
    late = 130;
    clock.advance(20); // a: 3, b: 2 at 1060; the next timer, due at 1080, fires at 1210 (grid point 10)
    late = 0;
    clock.advance(150);
    const stalled = log.filter(([, , at]) => at === 1210);
    // a is due tick 10: 3 back to back (8, 9, 10), 4 skipped; b is due tick 9: 2 back to back (8, 9), 5 skipped.
    expect(stalled).toEqual([
      ['a', 8, 1210],
      ['a', 9, 1210],
      ['a', 10, 1210],
      ['b', 8, 1210],
      ['b', 9, 1210],
    ]);
    expect(a.timing()).toMatchObject({ ticks: 7, skipped: 4, maxDeviationMs: 50 });
    expect(b.timing()).toMatchObject({ ticks: 5, skipped: 5, maxDeviationMs: 30 });
    clock.advance(10);
    expect(log.slice(-2)).toEqual([
      ['a', 11, 1220],
      ['b', 10, 1220],
    ]);
    a.stop();
    b.stop();
  });

  it('after a stall, serves every phase its latest grid point once, the oldest first', () => {
    let late = 0;
    const clock = new SkewedClock(() => late);
    const packetClock = new PacketClock(clock, 20, { phases: 4 });
    const seen: Array<[number, number, number]> = [];
    for (let phase = 0; phase < 4; phase++) {
      const subscription = packetClock.subscribe((index) => seen.push([subscription.phase, index, clock.now()]));
      expect(subscription.phase).toBe(phase);
    }
    clock.advance(10); // phases 0 to 2 at 1000, 1005, 1010
    late = 60;
    clock.advance(5); // phase 3 at 1015; the timer for 1020 (phase 0) fires at 1080
    late = 0;
    clock.advance(100); // at 1080, phase 0 is due its point 4 (1080), phases 1–3 their point 3 (1065–1075)
    expect(seen.filter(([, , at]) => at === 1080)).toEqual([
      [1, 3, 1080],
      [2, 3, 1080],
      [3, 3, 1080],
      [0, 4, 1080],
    ]);
  });

  it('waits out a timer that fires early instead of losing or repeating a tick', () => {
    const clock = new SkewedClock(() => -1);
    const log: Log = [];
    const a = ticker(singlePhase(clock), log, 'a');
    a.start();
    clock.advance(100);
    expect(log.map(([, tick, at]) => [tick, at])).toEqual([
      [0, 1000],
      [1, 1020],
      [2, 1040],
      [3, 1060],
      [4, 1080],
      [5, 1100],
    ]);
    a.stop();
  });

  it('records each stream its own lateness: the ones served later in a tick wait for the earlier ones', () => {
    const clock = new BusyClock(0);
    const packetClock = singlePhase(clock);
    const first = new SteadyTicker({ clock, intervalMs: 20, packetClock, onTick: () => (clock.busyMs += 0.5) });
    const second = new SteadyTicker({ clock, intervalMs: 20, packetClock, onTick: () => undefined });
    first.start();
    second.start();
    clock.busyMs = 0;
    clock.advance(200);
    expect(first.timing().maxDeviationMs).toBe(0);
    expect(second.timing().maxDeviationMs).toBe(0.5);
    expect(second.timing().p99DeviationMs).toBeCloseTo(0.5);
    first.stop();
    second.stop();
  });

  it('reckons what is due from the time a stream is served, not from when the tick began', () => {
    const clock = new BusyClock(0);
    const packetClock = singlePhase(clock);
    const ticks: number[] = [];
    const slow = new SteadyTicker({
      clock,
      intervalMs: 20,
      packetClock,
      onTick: (tick) => {
        if (tick === 1) clock.busyMs += 70; // e.g. a long pause in the middle of the tick
      },
    });
    const after = new SteadyTicker({ clock, intervalMs: 20, packetClock, onTick: (tick) => ticks.push(tick) });
    slow.start();
    after.start();
    clock.advance(20);
    // Served at 90 ms, when tick 4 is due: ticks 2, 3 and 4 go out (50, 30, 10 ms late), tick 1 is skipped.
    expect(ticks).toEqual([0, 2, 3, 4]);
    expect(after.timing()).toMatchObject({ skipped: 1, maxDeviationMs: 50 });
    slow.stop();
    after.stop();
  });

  it('lets a stream stop itself or another, and start a third, in the middle of a tick', () => {
    const clock = new FakeClock(0);
    const packetClock = singlePhase(clock);
    const log: Log = [];
    const tickers: Record<string, SteadyTicker> = {};
    const make = (name: string, onTick: (tick: number) => void): SteadyTicker =>
      (tickers[name] = new SteadyTicker({
        clock,
        intervalMs: 20,
        packetClock,
        onTick: (tick) => {
          log.push([name, tick, clock.now()]);
          onTick(tick);
        },
      }));
    make('a', (tick) => {
      if (tick === 2) tickers.b?.stop(); // b would come next in this tick: it is not called
      if (tick === 3) tickers.c?.start(); // joins now (on the grid point: at once), then from the next tick
      if (tick === 5) tickers.a?.stop();
    });
    make('b', () => undefined);
    make('c', () => undefined);
    tickers.a?.start();
    tickers.b?.start();
    clock.advance(200);
    expect(log.filter(([name]) => name === 'b').map(([, tick]) => tick)).toEqual([0, 1]);
    expect(log.filter(([name]) => name === 'a').map(([, tick]) => tick)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(log.filter(([name]) => name === 'c').map(([, tick, at]) => [tick, at])).toEqual([
      [0, 60],
      [1, 80],
      [2, 100],
      [3, 120],
      [4, 140],
      [5, 160],
      [6, 180],
      [7, 200],
    ]);
    expect(tickers.c?.timing().skipped).toBe(0);
    tickers.c?.stop();
    expect(clock.pendingTimers).toBe(0);
  });

  it('keeps ticking for the others when one stream throws', () => {
    const clock = new FakeClock(0);
    const packetClock = singlePhase(clock);
    const heard: number[] = [];
    const faulty = new SteadyTicker({
      clock,
      intervalMs: 20,
      packetClock,
      onTick: (tick) => {
        if (tick === 1) throw new Error('boom');
      },
    });
    const healthy = new SteadyTicker({ clock, intervalMs: 20, packetClock, onTick: (tick) => heard.push(tick) });
    faulty.start();
    healthy.start();
    expect(() => clock.advance(20)).toThrow('boom');
    clock.advance(40);
    // Tick 1 of the healthy stream came late, with tick 2, on the next grid point.
    expect(heard).toEqual([0, 1, 2, 3]);
    faulty.stop();
    healthy.stop();
  });

  it('reports grid points to plain listeners, from the one due at subscription', () => {
    const clock = new FakeClock(500);
    const packetClock = new PacketClock(clock, 30, { phases: 1 });
    const seen: number[] = [];
    const subscription = packetClock.subscribe((index) => seen.push(index));
    clock.advance(95);
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(packetClock.timeOf(0, 3)).toBe(590);
    expect(packetClock.indexAtOrAfter(0, 591)).toBe(4);
    subscription.unsubscribe();
    subscription.unsubscribe();
    expect(packetClock.subscribers).toBe(0);
    expect(clock.pendingTimers).toBe(0);
    expect(() => new PacketClock(clock, 0)).toThrow(RangeError);
  });
});
