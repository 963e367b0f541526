import { parse, write, type SessionDescription } from 'sdp-transform';
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

export interface OfferOptions {
  localAddress: string;
  localPort: number;
  codecs?: readonly CodecName[];
  ptimeMs?: number;
  direction?: MediaDirection;
  /** Payload type for L16/16000 (dynamic; default 96) and telephone-event (default 101, and 102 at 16 kHz). */
  l16PayloadType?: number;
  telephoneEventPayloadType?: number;
  origin?: SdpOrigin;
}

/** Payload types we put in an offer, by codec name and telephone-event clock rate. */
function offeredPayloadTypes(options: OfferOptions) {
  const codecs = codecsByPreference(options.codecs);
  const l16 = options.l16PayloadType ?? 96;
  const eventBase = options.telephoneEventPayloadType ?? 101;
  const formats = codecs.map((codec) => ({ codec, payloadType: codec.staticPayloadType ?? l16 }));
  const eventRates = [...new Set(codecs.map((c) => c.rtpClockRateHz))];
  const events = eventRates.map((clockRateHz, i) => ({ clockRateHz, payloadType: eventBase + i }));
  return { formats, events };
}

/** An SDP offer listing our codecs in preference order (for outbound legs, e.g. a B2BUA transfer). */
export function buildOffer(options: OfferOptions): string {
  const origin = options.origin ?? new SdpOrigin();
  const ipVer = ipVersion(options.localAddress);
  const { formats, events } = offeredPayloadTypes(options);
  const description: SessionDescription = {
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
    media: [
      {
        type: 'audio',
        port: options.localPort,
        protocol: 'RTP/AVP',
        payloads: [...formats.map((f) => f.payloadType), ...events.map((e) => e.payloadType)].join(' '),
        rtp: [
          ...formats.map((f) => ({
            payload: f.payloadType,
            codec: f.codec.name,
            rate: f.codec.rtpClockRateHz,
          })),
          ...events.map((e) => ({ payload: e.payloadType, codec: 'telephone-event', rate: e.clockRateHz })),
        ],
        fmtp: events.map((e) => ({ payload: e.payloadType, config: '0-15' })),
        ptime: options.ptimeMs ?? 20,
        direction: options.direction ?? 'sendrecv',
      },
    ],
  };
  return write(description);
}

export type AcceptAnswerResult = { ok: true; media: NegotiatedMedia } | NegotiationFailure;

/** Read the answer to an offer made by `buildOffer` with the same options. */
export function acceptAnswer(answerSdp: string, options: OfferOptions): AcceptAnswerResult {
  let answer: SessionDescription;
  try {
    answer = parse(answerSdp);
  } catch (error) {
    return { ok: false, reason: 'invalid-sdp', detail: `the answer does not parse: ${String(error)}` };
  }
  const m = answer.media?.[0];
  if (!m || m.type !== 'audio')
    return { ok: false, reason: 'no-audio', detail: 'the answer has no audio stream' };
  if (m.port === 0)
    return { ok: false, reason: 'no-common-codec', detail: 'the answerer refused the audio stream (port 0)' };
  if (m.protocol.toUpperCase() !== 'RTP/AVP')
    return { ok: false, reason: 'unsupported-transport', detail: `answer uses ${m.protocol}` };
  const address = connectionAddress(answer, m);
  if (!address) return { ok: false, reason: 'invalid-sdp', detail: 'the answer has no c= address' };
  const formats = offeredFormats(m);
  const ours = offeredPayloadTypes(options);
  // The answerer's first listed format that we offered is the one it will send.
  for (const format of formats) {
    const match = ours.formats.find((f) => formatMatches(format, f.codec));
    if (!match) continue;
    const event = formats.find((f) => isTelephoneEvent(f) && f.clockRateHz === match.codec.rtpClockRateHz);
    const theirs = directionFlags(m.direction ?? answer.direction ?? 'sendrecv');
    const wanted = directionFlags(options.direction ?? 'sendrecv');
    const onHold = address === '0.0.0.0' || address === '::';
    return {
      ok: true,
      media: {
        codec: match.codec,
        payloadType: format.payloadType,
        ...(event
          ? { telephoneEvent: { payloadType: event.payloadType, clockRateHz: event.clockRateHz } }
          : {}),
        ptimeMs: m.ptime ?? options.ptimeMs ?? 20,
        remoteAddress: address,
        remotePort: m.port,
        remoteRtcpPort: m.rtcp?.port ?? m.port + 1,
        direction: directionFromFlags(wanted.send && theirs.recv && !onHold, wanted.recv && theirs.send),
      },
    };
  }
  return { ok: false, reason: 'no-common-codec', detail: 'the answer names none of the codecs we offered' };
}
