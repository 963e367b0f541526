import type { MediaDescription, SessionDescription } from 'sdp-transform';
import { CODECS, type AudioCodec, type CodecName } from '../codecs/codec.ts';

/** What an offer/answer exchange settled for the audio stream of a call. */
export interface NegotiatedMedia {
  codec: AudioCodec;
  /** Payload type of the codec on the wire (the offerer's number). */
  payloadType: number;
  /** RFC 4733 events, when both sides support them at the codec's clock rate. */
  telephoneEvent?: { payloadType: number; clockRateHz: number };
  /** Packet interval we send with. */
  ptimeMs: number;
  remoteAddress: string;
  remotePort: number;
  remoteRtcpPort: number;
  /** Our direction: 'sendrecv' means we both send and receive. */
  direction: MediaDirection;
}

export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** Why an offer or answer cannot be used; the SIP layer answers 488 Not Acceptable Here. */
export type NegotiationFailure = {
  ok: false;
  reason: 'invalid-sdp' | 'no-audio' | 'unsupported-transport' | 'no-common-codec';
  detail: string;
};

export const DEFAULT_CODEC_PREFERENCE: readonly CodecName[] = ['PCMU', 'PCMA', 'G722', 'L16'];

export function directionFlags(direction: MediaDirection): { send: boolean; recv: boolean } {
  return {
    send: direction === 'sendrecv' || direction === 'sendonly',
    recv: direction === 'sendrecv' || direction === 'recvonly',
  };
}

export function directionFromFlags(send: boolean, recv: boolean): MediaDirection {
  return send ? (recv ? 'sendrecv' : 'sendonly') : recv ? 'recvonly' : 'inactive';
}

/** A format offered in an m-line: from a=rtpmap, or from the static payload-type table. */
export interface OfferedFormat {
  payloadType: number;
  name: string;
  clockRateHz: number;
  channels: number;
  fmtp?: string;
}

const STATIC_FORMATS: Record<number, { name: string; clockRateHz: number }> = {
  0: { name: 'PCMU', clockRateHz: 8000 },
  8: { name: 'PCMA', clockRateHz: 8000 },
  9: { name: 'G722', clockRateHz: 8000 },
};

export function offeredFormats(media: MediaDescription): OfferedFormat[] {
  const payloads = String(media.payloads ?? '')
    .split(/\s+/)
    .filter((p) => /^\d+$/.test(p))
    .map(Number);
  const formats: OfferedFormat[] = [];
  for (const payloadType of payloads) {
    const rtpmap = media.rtp?.find((r) => r.payload === payloadType);
    const known = STATIC_FORMATS[payloadType];
    const name = rtpmap?.codec ?? known?.name;
    const clockRateHz = rtpmap?.rate ?? known?.clockRateHz;
    if (name === undefined || clockRateHz === undefined) continue;
    const fmtp = media.fmtp?.find((f) => f.payload === payloadType)?.config;
    formats.push({
      payloadType,
      name,
      clockRateHz,
      channels: rtpmap?.encoding ?? 1,
      ...(fmtp !== undefined ? { fmtp } : {}),
    });
  }
  return formats;
}

/** Does an offered format carry `codec`? (Names compare case-insensitively; mono only.) */
export function formatMatches(format: OfferedFormat, codec: AudioCodec): boolean {
  return (
    format.name.toUpperCase() === codec.name &&
    format.clockRateHz === codec.rtpClockRateHz &&
    format.channels === 1
  );
}

export function isTelephoneEvent(format: OfferedFormat): boolean {
  return format.name.toLowerCase() === 'telephone-event';
}

export function codecsByPreference(preference: readonly CodecName[] | undefined): AudioCodec[] {
  return (preference ?? DEFAULT_CODEC_PREFERENCE).map((name) => CODECS[name]);
}

/** Connection address of an m-line (media level wins over session level). */
export function connectionAddress(session: SessionDescription, media: MediaDescription): string | undefined {
  return media.connection?.ip ?? session.connection?.ip;
}

/** The o= line state of our side of a dialog: the version goes up with every new description. */
export class SdpOrigin {
  readonly sessionId: string;
  #version: number;

  constructor(sessionId = String(Math.floor(Math.random() * 2 ** 40))) {
    this.sessionId = sessionId;
    this.#version = 0;
  }

  /** The version for the next description we send. */
  nextVersion(): number {
    return ++this.#version;
  }
}

export function ipVersion(address: string): 4 | 6 {
  return address.includes(':') ? 6 : 4;
}
