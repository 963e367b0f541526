import type { DtmfDigit } from '../frames.ts';
import { digitToEvent, encodeTelephoneEvent } from './telephone-event.ts';

export interface EventPacket {
  payload: Uint8Array;
  /** Set on the first packet of the event. */
  marker: boolean;
  /** The timestamp is the event start for every packet of the event. */
  end: boolean;
}

/**
 * The packets of one key press, one per packet-clock tick (RFC 4733 §2.5.1): a start packet with the
 * marker bit, continuation packets with growing duration, and the final duration sent three times
 * with the end bit (§2.5.1.4). All of them carry the timestamp of the event's first packet.
 */
export class Rfc4733EventPlan {
  readonly #event: number;
  readonly #volume: number;
  readonly #step: number;
  readonly #totalDuration: number;
  #elapsed = 0;
  #endsSent = 0;

  /** `stepUnits` is the duration of one packet interval in RTP timestamp units (160 for 20 ms at 8 kHz). */
  constructor(digit: DtmfDigit, durationMs: number, clockRateHz: number, stepUnits: number, volume = 10) {
    this.#event = digitToEvent(digit);
    this.#volume = volume;
    this.#step = stepUnits;
    // At least one packet interval; the 16-bit duration field caps an event near 8 s at 8 kHz.
    this.#totalDuration = Math.min(
      0xffff,
      Math.max(stepUnits, Math.round((durationMs * clockRateHz) / 1000)),
    );
  }

  /** The packet for the next tick, or undefined once the three end packets are out. */
  next(): EventPacket | undefined {
    if (this.#endsSent >= 3) return undefined;
    const first = this.#elapsed === 0;
    if (this.#elapsed < this.#totalDuration)
      this.#elapsed = Math.min(this.#totalDuration, this.#elapsed + this.#step);
    const end = this.#elapsed >= this.#totalDuration;
    if (end) this.#endsSent++;
    return {
      payload: encodeTelephoneEvent({
        event: this.#event,
        end,
        volume: this.#volume,
        duration: this.#elapsed,
      }),
      marker: first,
      end,
    };
  }

  /** How many timestamp units the event covered, for advancing the audio timestamp after it. */
  get durationUnits(): number {
    return this.#totalDuration;
  }

  get done(): boolean {
    return this.#endsSent >= 3;
  }
}
