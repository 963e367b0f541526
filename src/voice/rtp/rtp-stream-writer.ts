import { randomBytes } from 'node:crypto';
import { RTP_HEADER_LENGTH, RTP_VERSION, serializeRtpPacket } from './rtp-packet.ts';

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

  /**
   * Write the next packet's 12-octet header at the start of `out`, whose payload of `payloadLength` octets
   * already follows it; returns the packet's length. Like `next`, without allocating.
   */
  writeHeader(out: Uint8Array, payloadType: number, mediaTime: number, payloadLength: number, marker = false): number {
    const timestamp = (this.timestampBase + mediaTime) >>> 0;
    const sequence = this.#sequence;
    const ssrc = this.ssrc;
    out[0] = RTP_VERSION << 6;
    out[1] = (marker ? 0x80 : 0) | (payloadType & 0x7f);
    out[2] = sequence >>> 8;
    out[3] = sequence & 0xff;
    out[4] = timestamp >>> 24;
    out[5] = (timestamp >>> 16) & 0xff;
    out[6] = (timestamp >>> 8) & 0xff;
    out[7] = timestamp & 0xff;
    out[8] = ssrc >>> 24;
    out[9] = (ssrc >>> 16) & 0xff;
    out[10] = (ssrc >>> 8) & 0xff;
    out[11] = ssrc & 0xff;
    this.#sequence = (sequence + 1) & 0xffff;
    this.#packets++;
    this.#octets += payloadLength;
    this.#lastTimestamp = timestamp;
    return RTP_HEADER_LENGTH + payloadLength;
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
