import type { Clock } from '../clock.ts';

/**
 * One timer for every stream that sends at the same packet interval, shared by all the calls of the
 * process (see `sharedPacketClock`). A call does not need a timer of its own every 20 ms: 500 calls would
 * be 25,000 timer objects a second for the young generation to collect, each scavenge a pause in every
 * call's packet clock.
 *
 * Nor are all streams served at the same instant: sending 500 packets takes milliseconds (the send system
 * call dominates), and the streams served last would be that late at every tick. The interval is cut into
 * `phases` (2 ms apart by default); each stream is given the phase with the fewest streams and is served
 * on that phase's grid, anchor + phase·spacing + n·interval. The one timer is set for the next grid point of
 * any phase in use.
 *
 * The grid does not drift: the timer is set for the next grid point rather than chained from the previous
 * callback. When the event loop was blocked past several grid points, each phase hears only the latest of
 * its own; each stream decides what to catch up and what to skip (`SteadyTicker`).
 *
 * The grid is anchored when the first stream arrives and forgotten when the last one leaves, so a lone
 * stream starts at once, as if it had a timer of its own.
 */

/** Called on each grid point of the listener's phase, with its index since the anchor. */
export type PacketClockListener = (gridIndex: number) => void;

export interface PacketClockSubscription {
  /** The phase the stream was given: its grid points are at `timeOf(phase, n)`. */
  readonly phase: number;
  /** Stop hearing grid points (safe to call twice, and during a tick). */
  readonly unsubscribe: () => void;
}

/** Guards `floor` and `ceil` against a time that should sit exactly on a grid point coming out a hair off. */
const EPSILON = 1e-6;
/** Default distance between phases. */
const PHASE_SPACING_MS = 2;

export class PacketClock {
  readonly clock: Clock;
  readonly intervalMs: number;
  readonly phases: number;
  readonly #spacingMs: number;
  /** Listeners by phase. */
  readonly #listeners: Array<Set<PacketClockListener>>;
  #subscribers = 0;
  /** Subscribed during a tick: they join the others once it is over. */
  readonly #joining: Array<{ phase: number; listener: PacketClockListener }> = [];
  #firing = false;
  #anchorMs = 0;
  /** Grid points of all phases are numbered in time order: point j is phase j mod phases, index ⌊j / phases⌋. */
  #lastPoint = -1;
  #armedPoint = -1;
  #cancel: (() => void) | undefined;
  readonly #onTimer = (): void => this.#fire();

  constructor(clock: Clock, intervalMs: number, options: { phases?: number } = {}) {
    if (!(intervalMs > 0)) throw new RangeError(`packet interval must be positive, not ${intervalMs}`);
    this.clock = clock;
    this.intervalMs = intervalMs;
    this.phases = Math.max(1, Math.floor(options.phases ?? Math.round(intervalMs / PHASE_SPACING_MS)));
    this.#spacingMs = intervalMs / this.phases;
    this.#listeners = Array.from({ length: this.phases }, () => new Set());
  }

  /**
   * Start hearing grid points, on the phase with the fewest streams (of those, the one due soonest). A
   * listener removed during a tick is not called again, not even later in the same tick; one added during
   * a tick is first called on a later grid point. The same function may not be subscribed twice.
   */
  subscribe(listener: PacketClockListener): PacketClockSubscription {
    if (this.#subscribers === 0 && !this.#firing) {
      this.#anchorMs = this.clock.now();
      this.#lastPoint = -1;
    }
    const phase = this.#quietestPhase();
    this.#subscribers++;
    if (this.#firing) this.#joining.push({ phase, listener });
    else {
      this.#listeners[phase]?.add(listener);
      this.#arm();
    }
    let subscribed = true;
    return {
      phase,
      unsubscribe: () => {
        if (!subscribed) return;
        subscribed = false;
        this.#unsubscribe(phase, listener);
      },
    };
  }

  get subscribers(): number {
    return this.#subscribers;
  }

  /** Streams on each phase. */
  get load(): number[] {
    const load = this.#listeners.map((set) => set.size);
    for (const { phase } of this.#joining) load[phase]!++;
    return load;
  }

  /** When grid point `index` of `phase` is due on the monotonic clock. */
  timeOf(phase: number, index: number): number {
    return this.#anchorMs + phase * this.#spacingMs + index * this.intervalMs;
  }

  /** The index of the latest grid point of `phase` at or before `nowMs` (-1 before the first). */
  indexAt(phase: number, nowMs: number): number {
    return Math.floor((nowMs - this.timeOf(phase, 0)) / this.intervalMs + EPSILON);
  }

  /** The index of the first grid point of `phase` at or after `nowMs` (where a stream starting now has its tick 0). */
  indexAtOrAfter(phase: number, nowMs: number): number {
    return Math.max(0, Math.ceil((nowMs - this.timeOf(phase, 0)) / this.intervalMs - EPSILON));
  }

  #quietestPhase(): number {
    const now = this.clock.now();
    const load = this.load;
    let best = 0;
    let bestDue = Infinity;
    for (let phase = 0; phase < this.phases; phase++) {
      const due = this.timeOf(phase, this.indexAtOrAfter(phase, now));
      const fewer = (load[phase] as number) - (load[best] as number);
      if (fewer < 0 || (fewer === 0 && due < bestDue)) {
        best = phase;
        bestDue = due;
      }
    }
    return best;
  }

  #unsubscribe(phase: number, listener: PacketClockListener): void {
    const joining = this.#joining.findIndex((j) => j.listener === listener);
    if (joining >= 0) this.#joining.splice(joining, 1);
    else this.#listeners[phase]?.delete(listener);
    this.#subscribers--;
    if (this.#subscribers === 0) this.#disarm();
  }

  /** The latest grid point (of any phase) at or before `nowMs`. */
  #pointAt(nowMs: number): number {
    return Math.floor((nowMs - this.#anchorMs) / this.#spacingMs + EPSILON);
  }

  /** Set the timer for the first grid point after the last one announced whose phase has streams. */
  #arm(): void {
    let point = -1;
    for (let j = this.#lastPoint + 1; j <= this.#lastPoint + this.phases; j++) {
      if ((this.#listeners[j % this.phases]?.size ?? 0) > 0) {
        point = j;
        break;
      }
    }
    if (point === this.#armedPoint && this.#cancel) return;
    this.#disarm();
    if (point < 0) return;
    this.#armedPoint = point;
    this.#cancel = this.clock.setTimer(this.#anchorMs + point * this.#spacingMs - this.clock.now(), this.#onTimer);
  }

  #disarm(): void {
    this.#cancel?.();
    this.#cancel = undefined;
    this.#armedPoint = -1;
  }

  #fire(): void {
    this.#cancel = undefined;
    this.#armedPoint = -1;
    const point = this.#pointAt(this.clock.now());
    if (point <= this.#lastPoint) {
      // Timers may fire a little early (Node counts whole milliseconds of loop time): wait the rest.
      this.#arm();
      return;
    }
    // After a stall, every phase hears its latest grid point once, the oldest first.
    const from = Math.max(this.#lastPoint + 1, point - this.phases + 1);
    this.#lastPoint = point;
    // Armed before the listeners run, so that one that throws does not stop every other stream's clock.
    this.#arm();
    this.#firing = true;
    try {
      for (let j = from; j <= point; j++) {
        const phase = j % this.phases;
        const index = (j - phase) / this.phases;
        for (const listener of this.#listeners[phase] as Set<PacketClockListener>) listener(index);
      }
    } finally {
      this.#firing = false;
      for (const { phase, listener } of this.#joining.splice(0)) this.#listeners[phase]?.add(listener);
      if (this.#subscribers === 0) this.#disarm();
      else this.#arm();
    }
  }
}

/** One packet clock per interval per `Clock`: every call on the system clock shares its timer. */
const shared = new WeakMap<Clock, Map<number, PacketClock>>();

export function sharedPacketClock(clock: Clock, intervalMs: number): PacketClock {
  let byInterval = shared.get(clock);
  if (!byInterval) {
    byInterval = new Map();
    shared.set(clock, byInterval);
  }
  let packetClock = byInterval.get(intervalMs);
  if (!packetClock) {
    packetClock = new PacketClock(clock, intervalMs);
    byInterval.set(intervalMs, packetClock);
  }
  return packetClock;
}
