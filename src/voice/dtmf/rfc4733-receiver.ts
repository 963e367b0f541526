import type { DtmfFrame } from '../frames.ts';
import { decodeTelephoneEvent, eventToDigit } from './telephone-event.ts';

/**
 * Turns received telephone-event packets into one DTMF frame per key press. All packets of one event
 * carry the timestamp of its start (RFC 4733 §2.5.1.2), so that timestamp identifies the event:
 * the digit is emitted on the first end packet, and the retransmitted end packets, late continuation
 * packets and duplicates of an event already emitted are ignored. If every end packet is lost, the
 * digit is emitted when the next event starts or after `endTimeoutMs` without packets (`poll`).
 */
export class Rfc4733Receiver {
  readonly #clockRateHz: number;
  readonly #endTimeoutMs: number;
  #current: { timestamp: number; event: number; duration: number; lastSeenMs: number } | undefined;
  /** Timestamps of recently emitted events. */
  readonly #done: number[] = [];

  constructor(clockRateHz: number, options: { endTimeoutMs?: number } = {}) {
    this.#clockRateHz = clockRateHz;
    this.#endTimeoutMs = options.endTimeoutMs ?? 300;
  }

  /** One telephone-event payload with its RTP timestamp; returns the frames it completes. */
  receive(payload: Uint8Array, rtpTimestamp: number, nowMs: number): DtmfFrame[] {
    const out: DtmfFrame[] = [];
    const e = decodeTelephoneEvent(payload);
    if (!e || eventToDigit(e.event) === undefined) return out;
    if (this.#done.includes(rtpTimestamp)) return out;
    if (this.#current && this.#current.timestamp !== rtpTimestamp) this.#finish(out);
    if (!this.#current)
      this.#current = { timestamp: rtpTimestamp, event: e.event, duration: e.duration, lastSeenMs: nowMs };
    this.#current.duration = Math.max(this.#current.duration, e.duration);
    this.#current.lastSeenMs = nowMs;
    if (e.end) this.#finish(out);
    return out;
  }

  /** Emit an event whose end packets never came. */
  poll(nowMs: number): DtmfFrame[] {
    const out: DtmfFrame[] = [];
    if (this.#current && nowMs - this.#current.lastSeenMs >= this.#endTimeoutMs) this.#finish(out);
    return out;
  }

  /** When `poll` should next be called, if an event is open. */
  nextDeadlineMs(): number | undefined {
    return this.#current ? this.#current.lastSeenMs + this.#endTimeoutMs : undefined;
  }

  #finish(out: DtmfFrame[]): void {
    const current = this.#current;
    if (!current) return;
    this.#current = undefined;
    this.#done.push(current.timestamp);
    if (this.#done.length > 8) this.#done.shift();
    const digit = eventToDigit(current.event);
    if (digit === undefined) return;
    out.push({
      type: 'dtmf',
      digit,
      durationMs: Math.round((current.duration * 1000) / this.#clockRateHz),
      source: 'rfc4733',
    });
  }
}
