import { parse, write, type MediaDescription, type SessionDescription } from 'sdp-transform';
import type { CodecName } from '../codecs/codec.ts';
import {
  codecsByPreference,
  connectionAddress,
  directionFlags,
  directionFromFlags,
  formatMatches,
  ipVersion,
  isTelephoneEvent,
  offeredFormats,
  SdpOrigin,
  type MediaDirection,
  type NegotiatedMedia,
  type NegotiationFailure,
} from './negotiated-media.ts';

export interface AnswerOptions {
  /** Address and RTP port we receive on (the address goes into c= and o=). */
  localAddress: string;
  localPort: number;
  /** Our codec preference, best first (default PCMU, PCMA, G722, L16). */
  codecs?: readonly CodecName[];
  /** Packet interval we ask for and send with when the offer names none (default 20). */
  ptimeMs?: number;
  /** What we want: 'sendonly' to put the caller on hold, 'inactive' to stop media both ways. */
  direction?: MediaDirection;
  /** Keep one per dialog so the o= version goes up with each answer. */
  origin?: SdpOrigin;
}

export type AnswerResult = { ok: true; sdp: string; media: NegotiatedMedia } | NegotiationFailure;

const SUPPORTED_PTIMES_MS = [10, 20, 30, 40, 60];

/**
 * RFC 3264 answer to an SDP offer: the first usable audio stream gets one codec (our preference
 * order, the offerer's payload number) plus telephone-event at the same clock rate if offered, with
 * the direction both sides allow; every other m-line is refused with port 0, as the RFC requires.
 */
export function answerOffer(offerSdp: string, options: AnswerOptions): AnswerResult {
  let offer: SessionDescription;
  try {
    offer = parse(offerSdp);
  } catch (error) {
    return { ok: false, reason: 'invalid-sdp', detail: `the offer does not parse: ${String(error)}` };
  }
  if (offer.version !== 0 || !Array.isArray(offer.media) || !offer.origin) {
    return { ok: false, reason: 'invalid-sdp', detail: 'the offer lacks v=0, o= or m= lines' };
  }
  const audio = offer.media.filter((m) => m.type === 'audio' && m.port > 0);
  if (audio.length === 0)
    return { ok: false, reason: 'no-audio', detail: 'the offer has no active audio stream' };
  const usable = audio.filter((m) => m.protocol.toUpperCase() === 'RTP/AVP');
  if (usable.length === 0) {
    return {
      ok: false,
      reason: 'unsupported-transport',
      detail: `audio offered over ${audio.map((m) => m.protocol).join(', ')}; only RTP/AVP is supported`,
    };
  }

  const preference = codecsByPreference(options.codecs);
  let chosen: { m: MediaDescription; negotiated: NegotiatedMedia; eventFmtp?: string } | undefined;
  for (const m of usable) {
    const formats = offeredFormats(m);
    for (const codec of preference) {
      const format = formats.find((f) => formatMatches(f, codec));
      if (!format) continue;
      const address = connectionAddress(offer, m);
      if (!address) return { ok: false, reason: 'invalid-sdp', detail: 'the audio stream has no c= address' };
      const event = formats.find((f) => isTelephoneEvent(f) && f.clockRateHz === codec.rtpClockRateHz);
      const onHold = address === '0.0.0.0' || address === '::';
      const offered = directionFlags(m.direction ?? offer.direction ?? 'sendrecv');
      const wanted = directionFlags(options.direction ?? 'sendrecv');
      const ptimeMs =
        m.ptime !== undefined && SUPPORTED_PTIMES_MS.includes(m.ptime) ? m.ptime : (options.ptimeMs ?? 20);
      chosen = {
        m,
        negotiated: {
          codec,
          payloadType: format.payloadType,
          ...(event
            ? { telephoneEvent: { payloadType: event.payloadType, clockRateHz: event.clockRateHz } }
            : {}),
          ptimeMs,
          remoteAddress: address,
          remotePort: m.port,
          remoteRtcpPort: m.rtcp?.port ?? m.port + 1,
          direction: directionFromFlags(wanted.send && offered.recv && !onHold, wanted.recv && offered.send),
        },
        ...(event?.fmtp !== undefined ? { eventFmtp: event.fmtp } : {}),
      };
      break;
    }
    if (chosen) break;
  }
  if (!chosen) {
    const names = usable.flatMap((m) => offeredFormats(m).map((f) => `${f.name}/${f.clockRateHz}`));
    return {
      ok: false,
      reason: 'no-common-codec',
      detail: `offered ${names.join(', ') || 'nothing we recognise'}; we accept ${preference.map((c) => `${c.name}/${c.rtpClockRateHz}`).join(', ')}`,
    };
  }

  const origin = options.origin ?? new SdpOrigin();
  const ipVer = ipVersion(options.localAddress);
  const { negotiated } = chosen;
  const answer: SessionDescription = {
    version: 0,
    origin: {
      username: 'parley',
      sessionId: origin.sessionId,
      sessionVersion: origin.nextVersion(),
      netType: 'IN',
      ipVer,
      address: options.localAddress,
    },
    name: 'parley',
    connection: { version: ipVer, ip: options.localAddress },
    timing: { start: 0, stop: 0 },
    media: offer.media.map((m): MediaDescription => {
      if (m !== chosen.m)
        return { type: m.type, port: 0, protocol: m.protocol, payloads: m.payloads ?? '', rtp: [], fmtp: [] };
      const rtp: MediaDescription['rtp'] = [
        {
          payload: negotiated.payloadType,
          codec: negotiated.codec.name,
          rate: negotiated.codec.rtpClockRateHz,
        },
      ];
      const fmtp: MediaDescription['fmtp'] = [];
      const payloads = [negotiated.payloadType];
      if (negotiated.telephoneEvent) {
        const pt = negotiated.telephoneEvent.payloadType;
        payloads.push(pt);
        rtp.push({ payload: pt, codec: 'telephone-event', rate: negotiated.telephoneEvent.clockRateHz });
        fmtp.push({ payload: pt, config: chosen.eventFmtp ?? '0-15' });
      }
      return {
        type: 'audio',
        port: options.localPort,
        protocol: m.protocol,
        payloads: payloads.join(' '),
        rtp,
        fmtp,
        ptime: options.ptimeMs ?? 20,
        direction: negotiated.direction,
      };
    }),
  };
  return { ok: true, sdp: write(answer), media: negotiated };
}
