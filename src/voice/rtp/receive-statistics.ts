import type { ReportBlock } from './rtcp-packet.ts';

/**
 * Per-source reception statistics of RFC 3550 Appendix A: extended sequence numbers across the
 * 16-bit wrap (A.1), expected and lost packets and the fraction lost between reports (A.3),
 * and interarrival jitter (A.8).
 */

const MAX_DROPOUT = 3000;
const MAX_MISORDER = 100;

export type SequenceVerdict =
  /** In range: `extended` is the packet's 32-bit extended sequence number. */
  | { kind: 'ok'; extended: number }
  /** A jump too large to be reordering or loss; ignored unless the next packet follows it (then `restart`). */
  | { kind: 'bad' }
  /** The source restarted its sequence: everything before is forgotten. */
  | { kind: 'restart'; extended: number };

/** What `accept` returns for a packet too far from the others to be counted (see SequenceVerdict 'bad'). */
export const BAD_SEQUENCE = -1;

export class ReceiveStatistics {
  readonly clockRateHz: number;
  #started = false;
  #baseExtended = 0;
  #maxExtended = 0;
  #badSeq: number | undefined;
  #restarted = false;
  #received = 0;
  #expectedPrior = 0;
  #receivedPrior = 0;
  #transit: number | undefined;
  /** Interarrival jitter in timestamp units, scaled by 16 as A.8 suggests for integer arithmetic. */
  #jitter = 0;

  constructor(clockRateHz: number) {
    this.clockRateHz = clockRateHz;
  }

  /**
   * Account for one packet. `arrivalMs` is the local arrival time; pass `rtpTimestamp` only for packets
   * whose timestamp advances with the media clock (audio, not the frozen timestamps of DTMF events).
   */
  update(sequenceNumber: number, arrivalMs: number, rtpTimestamp?: number): SequenceVerdict {
    const extended = this.accept(sequenceNumber, arrivalMs, rtpTimestamp);
    if (extended === BAD_SEQUENCE) return { kind: 'bad' };
    return { kind: this.#restarted ? 'restart' : 'ok', extended };
  }

  /**
   * `update` for every packet of a call, allocating no verdict: the packet's extended sequence number, or
   * BAD_SEQUENCE; `restarted` then says whether the source restarted its sequence with this packet.
   */
  accept(sequenceNumber: number, arrivalMs: number, rtpTimestamp?: number): number {
    this.#restarted = false;
    if (!this.#started) {
      this.#restart(sequenceNumber);
      this.#count(arrivalMs, rtpTimestamp);
      return this.#maxExtended;
    }
    const delta = ((sequenceNumber - (this.#maxExtended & 0xffff) + 0x8000) & 0xffff) - 0x8000;
    if (delta > MAX_DROPOUT || delta < -MAX_MISORDER) {
      if (this.#badSeq !== undefined && sequenceNumber === this.#badSeq) {
        this.#restart(sequenceNumber);
        this.#restarted = true;
        this.#count(arrivalMs, rtpTimestamp);
        return this.#maxExtended;
      }
      this.#badSeq = (sequenceNumber + 1) & 0xffff;
      return BAD_SEQUENCE;
    }
    this.#badSeq = undefined;
    const extended = this.#maxExtended + delta;
    if (extended > this.#maxExtended) this.#maxExtended = extended;
    this.#count(arrivalMs, rtpTimestamp);
    return extended;
  }

  /** Did the last packet `accept`ed restart the sequence (everything before it is forgotten)? */
  get restarted(): boolean {
    return this.#restarted;
  }

  #restart(sequenceNumber: number): void {
    this.#started = true;
    // Start one cycle up so that packets reordered from before the first never go negative.
    this.#baseExtended = 0x10000 + sequenceNumber;
    this.#maxExtended = this.#baseExtended;
    this.#badSeq = undefined;
    this.#received = 0;
    this.#expectedPrior = 0;
    this.#receivedPrior = 0;
    this.#transit = undefined;
    this.#jitter = 0;
  }

  #count(arrivalMs: number, rtpTimestamp: number | undefined): void {
    this.#received++;
    if (rtpTimestamp === undefined) return;
    const arrival = Math.round((arrivalMs * this.clockRateHz) / 1000);
    const transit = (arrival - rtpTimestamp) | 0; // modulo 2^32, as signed
    if (this.#transit !== undefined) {
      const d = Math.abs((transit - this.#transit) | 0);
      this.#jitter += d - ((this.#jitter + 8) >> 4);
    }
    this.#transit = transit;
  }

  get received(): number {
    return this.#received;
  }

  get expected(): number {
    return this.#started ? this.#maxExtended - this.#baseExtended + 1 : 0;
  }

  /** Packets lost: expected less received (duplicates can make it negative; shown as at least 0). */
  get lost(): number {
    return Math.max(0, this.expected - this.#received);
  }

  /** Extended highest sequence number as an RTCP report wants it (cycles in the high 16 bits). */
  get extendedHighestSequence(): number {
    return (this.#maxExtended - 0x10000) >>> 0;
  }

  /** Interarrival jitter in RTP timestamp units. */
  get jitter(): number {
    return this.#jitter >> 4;
  }

  get jitterMs(): number {
    return (this.#jitter / 16 / this.clockRateHz) * 1000;
  }

  /** A report block for this source; advances the "since last report" counters. */
  reportBlock(ssrc: number, lastSenderReport = 0, delaySinceLastSenderReport = 0): ReportBlock {
    const expected = this.expected;
    const expectedInterval = expected - this.#expectedPrior;
    const receivedInterval = this.#received - this.#receivedPrior;
    this.#expectedPrior = expected;
    this.#receivedPrior = this.#received;
    const lostInterval = expectedInterval - receivedInterval;
    const fractionLost =
      expectedInterval === 0 || lostInterval <= 0 ? 0 : Math.floor((lostInterval << 8) / expectedInterval);
    return {
      ssrc,
      fractionLost,
      cumulativeLost: expected - this.#received,
      extendedHighestSequence: this.extendedHighestSequence,
      jitter: this.jitter,
      lastSenderReport,
      delaySinceLastSenderReport,
    };
  }
}
