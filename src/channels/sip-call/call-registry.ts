import type { MediaStats } from '../../voice/media-session.ts';

/**
 * The calls this gateway is handling, and the last ones it handled, with their media statistics, for the
 * operations API (`GET /api/calls`). Caller numbers are personal data: they are here for operators behind
 * the API key, never logged.
 */

export type CallState = 'answering' | 'active' | 'transferring' | 'ended';

export interface CallMediaSnapshot {
  codec: string;
  packetsSent: number;
  packetsReceived: number;
  packetsLost: number;
  /** Lost over expected, in percent. */
  lossPercent: number;
  jitterMs: number;
  /** How late the 20 ms send clock ticked. */
  sendClock: { ticks: number; meanDeviationMs: number; p99DeviationMs: number; maxDeviationMs: number };
}

export interface CallRecord {
  id: string;
  sipCallId: string;
  botId?: string;
  conversationId?: string;
  sandbox: boolean;
  from: string;
  to: string;
  state: CallState;
  startedAt: string;
  endedAt?: string;
  /** How it ended: `caller-hangup`, `bot-hangup`, `transferred`, `error`… */
  endReason?: string;
  transfer?: { target: string; result: string };
  media?: CallMediaSnapshot;
}

export function mediaSnapshot(stats: MediaStats): CallMediaSnapshot {
  const r = stats.received;
  const expected = r.packetsReceived + r.packetsLost;
  return {
    codec: stats.codec,
    packetsSent: stats.packetsSent,
    packetsReceived: r.packetsReceived,
    packetsLost: r.packetsLost,
    lossPercent: expected > 0 ? Math.round((r.packetsLost / expected) * 10000) / 100 : 0,
    jitterMs: Math.round(r.jitterMs * 100) / 100,
    sendClock: {
      ticks: stats.sendTiming.ticks,
      meanDeviationMs: Math.round(stats.sendTiming.meanDeviationMs * 100) / 100,
      p99DeviationMs: Math.round(stats.sendTiming.p99DeviationMs * 100) / 100,
      maxDeviationMs: Math.round(stats.sendTiming.maxDeviationMs * 100) / 100,
    },
  };
}

export class CallRegistry {
  readonly #active = new Map<string, { record: CallRecord; stats?: () => MediaStats }>();
  readonly #recent: CallRecord[] = [];

  constructor(private readonly keepRecent = 100) {}

  add(record: CallRecord, stats?: () => MediaStats): void {
    this.#active.set(record.id, { record, ...(stats ? { stats } : {}) });
  }

  /** Media statistics come from here once the call has media. */
  attachMedia(id: string, stats: () => MediaStats): void {
    const entry = this.#active.get(id);
    if (entry) entry.stats = stats;
  }

  update(id: string, change: Partial<CallRecord>): void {
    const entry = this.#active.get(id);
    if (entry) Object.assign(entry.record, change);
  }

  end(id: string, change: Partial<CallRecord> = {}): void {
    const entry = this.#active.get(id);
    if (!entry) return;
    this.#active.delete(id);
    const record: CallRecord = { ...entry.record, ...change, state: 'ended', endedAt: change.endedAt ?? new Date().toISOString() };
    if (entry.stats) record.media = mediaSnapshot(entry.stats());
    this.#recent.unshift(record);
    this.#recent.length = Math.min(this.#recent.length, this.keepRecent);
  }

  get activeCount(): number {
    return this.#active.size;
  }

  active(): CallRecord[] {
    return [...this.#active.values()].map(({ record, stats }) => ({ ...record, ...(stats ? { media: mediaSnapshot(stats()) } : {}) }));
  }

  recent(): CallRecord[] {
    return this.#recent.map((r) => ({ ...r }));
  }

  get(id: string): CallRecord | undefined {
    const live = this.#active.get(id);
    if (live) return { ...live.record, ...(live.stats ? { media: mediaSnapshot(live.stats()) } : {}) };
    return this.#recent.find((r) => r.id === id || r.sipCallId === id);
  }
}
