import { decodeAlaw, decodeUlaw, encodeAlaw, encodeAlawInto, encodeUlaw, encodeUlawInto } from './g711.ts';
import { G722Decoder, G722Encoder } from './g722.ts';
import { decodeL16, encodeL16, encodeL16Into } from './l16.ts';

/** The audio codecs Parley speaks on RTP. */
export type CodecName = 'PCMU' | 'PCMA' | 'G722' | 'L16';

export interface AudioEncoder {
  encode(samples: Int16Array): Uint8Array;
  /**
   * Encode into `out` from `offset`, which has room for the payload (at most two octets a sample); returns
   * the octets written. The RTP sender encodes into its packet buffers this way, allocating nothing.
   */
  encodeInto(samples: Int16Array, out: Uint8Array, offset: number): number;
}

export interface AudioDecoder {
  decode(payload: Uint8Array): Int16Array;
}

export interface AudioCodec {
  name: CodecName;
  /** The payload type fixed by RFC 3551, if any (L16 at 16 kHz mono has none: it is negotiated). */
  staticPayloadType?: number;
  /** Rate of the PCM the encoder takes and the decoder gives. */
  sampleRateHz: number;
  /** Rate of the RTP timestamp and of the SDP `a=rtpmap` (8000 for G.722 although it samples at 16000). */
  rtpClockRateHz: number;
  /** Encoders and decoders may keep state (G.722 does): one of each per direction of a call. */
  createEncoder(): AudioEncoder;
  createDecoder(): AudioDecoder;
}

const stateless = (
  encode: (s: Int16Array) => Uint8Array,
  encodeInto: (s: Int16Array, out: Uint8Array, offset: number) => number,
  decode: (p: Uint8Array) => Int16Array,
) => ({
  createEncoder: (): AudioEncoder => ({ encode, encodeInto }),
  createDecoder: (): AudioDecoder => ({ decode }),
});

export const CODECS: Readonly<Record<CodecName, AudioCodec>> = {
  PCMU: {
    name: 'PCMU',
    staticPayloadType: 0,
    sampleRateHz: 8000,
    rtpClockRateHz: 8000,
    ...stateless(encodeUlaw, encodeUlawInto, decodeUlaw),
  },
  PCMA: {
    name: 'PCMA',
    staticPayloadType: 8,
    sampleRateHz: 8000,
    rtpClockRateHz: 8000,
    ...stateless(encodeAlaw, encodeAlawInto, decodeAlaw),
  },
  G722: {
    name: 'G722',
    staticPayloadType: 9,
    sampleRateHz: 16000,
    rtpClockRateHz: 8000,
    createEncoder: () => new G722Encoder(),
    createDecoder: () => new G722Decoder(),
  },
  L16: { name: 'L16', sampleRateHz: 16000, rtpClockRateHz: 16000, ...stateless(encodeL16, encodeL16Into, decodeL16) },
};

/** PCM samples in one packet of `ptimeMs`. */
export function samplesPerPacket(codec: AudioCodec, ptimeMs: number): number {
  return (codec.sampleRateHz * ptimeMs) / 1000;
}

/** RTP timestamp increment of one packet of `ptimeMs`. */
export function timestampStep(codec: AudioCodec, ptimeMs: number): number {
  return (codec.rtpClockRateHz * ptimeMs) / 1000;
}
