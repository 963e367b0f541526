import { randomBytes } from 'node:crypto';
import { serializeRtpPacket } from './rtp-packet.ts';

/** Random 32-bit value for SSRCs and initial sequence/timestamp (RFC 3550 §5.1 wants them unpredictable). */
export function random32(): number {
  return randomBytes(4).readUInt32BE(0);
}

/**
 * The sending side of one RTP stream: SSRC, sequence numbers (random start, +1 per packet, wrapping)
 * and timestamps (random base plus media time), and the packet/octet counts a sender report needs.
 */
export class RtpStreamWriter {
  readonly ssrc: number;
  readonly timestampBase: number;
  #sequence: number;
  #packets = 0;
  #octets = 0;
  #lastTimestamp: number;

  constructor(options: { ssrc?: number; initialSequence?: number; timestampBase?: number } = {}) {
    this.ssrc = options.ssrc ?? random32();
    this.#sequence = (options.initialSequence ?? random32()) & 0xffff;
    this.timestampBase = (options.timestampBase ?? random32()) >>> 0;
    this.#lastTimestamp = this.timestampBase;
  }

  /** Build the next packet. `mediaTime` is in RTP clock units since the stream started. */
  next(payloadType: number, mediaTime: number, payload: Uint8Array, marker = false): Uint8Array {
    const timestamp = (this.timestampBase + mediaTime) >>> 0;
    const packet = serializeRtpPacket({
      payloadType,
      sequenceNumber: this.#sequence,
      timestamp,
      ssrc: this.ssrc,
      marker,
      payload,
    });
    this.#sequence = (this.#sequence + 1) & 0xffff;
    this.#packets++;
    this.#octets += payload.length;
    this.#lastTimestamp = timestamp;
    return packet;
  }

  get packetsSent(): number {
    return this.#packets;
  }

  get octetsSent(): number {
    return this.#octets;
  }

  get lastTimestamp(): number {
    return this.#lastTimestamp;
  }

  get nextSequence(): number {
    return this.#sequence;
  }
}
