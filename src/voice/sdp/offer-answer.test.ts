import { parse } from 'sdp-transform';
import { describe, expect, it } from 'vitest';
import { answerOffer, type AnswerResult } from './answer.ts';
import { acceptAnswer, buildOffer } from './offer.ts';
import { SdpOrigin } from './negotiated-media.ts';

const lines = (...l: string[]): string => l.join('\r\n') + '\r\n';

/** A typical softphone offer: PCMA first, then PCMU, G.722 and DTMF events. */
const softphoneOffer = lines(
  'v=0',
  'o=alice 2890844526 2890844526 IN IP4 192.0.2.10',
  's=call',
  'c=IN IP4 192.0.2.10',
  't=0 0',
  'm=audio 49170 RTP/AVP 8 0 9 101',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-16',
  'a=ptime:20',
  'a=sendrecv',
);

const local = { localAddress: '198.51.100.7', localPort: 10000 };

function ok(result: AnswerResult) {
  if (!result.ok) throw new Error(`expected an answer, got ${result.reason}: ${result.detail}`);
  return result;
}

describe('SDP answer', () => {
  it('answers with our preferred codec, the offerer’s telephone-event payload type, ptime 20 and our address', () => {
    const { sdp, media } = ok(answerOffer(softphoneOffer, local));
    expect(media).toMatchObject({
      payloadType: 0,
      telephoneEvent: { payloadType: 101, clockRateHz: 8000 },
      ptimeMs: 20,
      remoteAddress: '192.0.2.10',
      remotePort: 49170,
      remoteRtcpPort: 49171,
      direction: 'sendrecv',
    });
    expect(media.codec.name).toBe('PCMU');
    const answer = parse(sdp);
    expect(answer.connection?.ip).toBe('198.51.100.7');
    expect(answer.origin.address).toBe('198.51.100.7');
    expect(answer.media).toHaveLength(1);
    const m = answer.media[0];
    expect(m?.port).toBe(10000);
    expect(m?.payloads).toBe('0 101');
    expect(m?.rtp).toEqual([
      { payload: 0, codec: 'PCMU', rate: 8000 },
      { payload: 101, codec: 'telephone-event', rate: 8000 },
    ]);
    expect(m?.fmtp).toEqual([{ payload: 101, config: '0-16' }]);
    expect(m?.ptime).toBe(20);
    expect(m?.direction).toBe('sendrecv');
  });

  it('follows a configured preference order', () => {
    expect(ok(answerOffer(softphoneOffer, { ...local, codecs: ['G722', 'PCMA'] })).media.codec.name).toBe(
      'G722',
    );
    expect(ok(answerOffer(softphoneOffer, { ...local, codecs: ['PCMA', 'PCMU'] })).media.codec.name).toBe(
      'PCMA',
    );
  });

  it('picks L16/16000 with the telephone-event of the same clock rate, echoing dynamic payload types', () => {
    const offer = lines(
      'v=0',
      'o=- 1 1 IN IP4 192.0.2.20',
      's=-',
      'c=IN IP4 192.0.2.20',
      't=0 0',
      'm=audio 30000 RTP/AVP 0 97 100 96',
      'a=rtpmap:97 l16/16000',
      'a=rtpmap:100 telephone-event/16000',
      'a=rtpmap:96 telephone-event/8000',
    );
    const { media, sdp } = ok(answerOffer(offer, { ...local, codecs: ['L16', 'PCMU'] }));
    expect(media.codec.name).toBe('L16');
    expect(media.payloadType).toBe(97);
    expect(media.telephoneEvent).toEqual({ payloadType: 100, clockRateHz: 16000 });
    expect(parse(sdp).media[0]?.fmtp).toEqual([{ payload: 100, config: '0-15' }]);
    // With PCMU preferred, the 8 kHz event type goes with it.
    expect(ok(answerOffer(offer, local)).media.telephoneEvent).toEqual({
      payloadType: 96,
      clockRateHz: 8000,
    });
  });

  it('accepts static payload types offered without a=rtpmap', () => {
    const offer = lines(
      'v=0',
      'o=- 1 1 IN IP4 192.0.2.1',
      's=-',
      'c=IN IP4 192.0.2.1',
      't=0 0',
      'm=audio 4000 RTP/AVP 18 8',
    );
    const { media } = ok(answerOffer(offer, local));
    expect(media.codec.name).toBe('PCMA');
    expect(media.telephoneEvent).toBeUndefined();
  });

  it.each([
    ['sendrecv', 'sendrecv', 'sendrecv'],
    ['sendonly', 'sendrecv', 'recvonly'],
    ['recvonly', 'sendrecv', 'sendonly'],
    ['inactive', 'sendrecv', 'inactive'],
    ['sendrecv', 'sendonly', 'sendonly'], // we put the caller on hold
    ['sendonly', 'sendonly', 'inactive'],
  ] as const)('offer %s, our wish %s: answer %s', (offered, wished, expected) => {
    const offer = softphoneOffer.replace('a=sendrecv', `a=${offered}`);
    const { media, sdp } = ok(answerOffer(offer, { ...local, direction: wished }));
    expect(media.direction).toBe(expected);
    expect(parse(sdp).media[0]?.direction).toBe(expected);
  });

  it('treats c=0.0.0.0 (old-style hold) as the remote not wanting our audio', () => {
    const offer = softphoneOffer.replace('c=IN IP4 192.0.2.10', 'c=IN IP4 0.0.0.0');
    expect(ok(answerOffer(offer, local)).media.direction).toBe('recvonly');
  });

  it('uses the media-level address and a=rtcp port when given', () => {
    const offer = softphoneOffer.replace('a=ptime:20', 'a=ptime:20\r\nc=IN IP4 203.0.113.5\r\na=rtcp:49999');
    const { media } = ok(answerOffer(offer, local));
    expect(media.remoteAddress).toBe('203.0.113.5');
    expect(media.remoteRtcpPort).toBe(49999);
  });

  it('refuses other m-lines with port 0 and keeps their order', () => {
    const offer = softphoneOffer.replace(
      't=0 0',
      't=0 0\r\nm=video 51372 RTP/AVP 31\r\na=rtpmap:31 H261/90000',
    );
    const answer = parse(ok(answerOffer(offer, local)).sdp);
    expect(answer.media.map((m) => [m.type, m.port])).toEqual([
      ['video', 0],
      ['audio', 10000],
    ]);
  });

  it('reports "no common codec" clearly, for the SIP layer to answer 488', () => {
    const offer = lines(
      'v=0',
      'o=- 1 1 IN IP4 192.0.2.1',
      's=-',
      'c=IN IP4 192.0.2.1',
      't=0 0',
      'm=audio 4000 RTP/AVP 18 3 111',
      'a=rtpmap:18 G729/8000',
      'a=rtpmap:3 GSM/8000',
      'a=rtpmap:111 opus/48000/2',
    );
    const result = answerOffer(offer, local);
    expect(result).toMatchObject({ ok: false, reason: 'no-common-codec' });
    expect(!result.ok && result.detail).toContain('G729/8000');
  });

  it('refuses encrypted-only offers, offers without audio and garbage', () => {
    expect(answerOffer(softphoneOffer.replace('RTP/AVP', 'RTP/SAVP'), local)).toMatchObject({
      ok: false,
      reason: 'unsupported-transport',
    });
    const videoOnly = lines(
      'v=0',
      'o=- 1 1 IN IP4 192.0.2.1',
      's=-',
      'c=IN IP4 192.0.2.1',
      't=0 0',
      'm=video 4000 RTP/AVP 31',
    );
    expect(answerOffer(videoOnly, local)).toMatchObject({ ok: false, reason: 'no-audio' });
    expect(answerOffer('hello', local)).toMatchObject({ ok: false, reason: 'invalid-sdp' });
  });

  it('raises the o= version with each answer of one dialog', () => {
    const origin = new SdpOrigin('42');
    const first = parse(ok(answerOffer(softphoneOffer, { ...local, origin })).sdp).origin;
    const second = parse(
      ok(answerOffer(softphoneOffer, { ...local, origin, direction: 'sendonly' })).sdp,
    ).origin;
    expect([first.sessionId, first.sessionVersion]).toEqual([42, 1]);
    expect([second.sessionId, second.sessionVersion]).toEqual([42, 2]);
  });
});

describe('SDP offer (outbound legs)', () => {
  it('offers our codecs in order with telephone-event at each clock rate', () => {
    const offer = parse(buildOffer({ ...local, codecs: ['G722', 'PCMU', 'L16'] }));
    const m = offer.media[0];
    expect(m?.payloads).toBe('9 0 96 101 102');
    expect(m?.rtp).toContainEqual({ payload: 96, codec: 'L16', rate: 16000 });
    expect(m?.rtp).toContainEqual({ payload: 101, codec: 'telephone-event', rate: 8000 });
    expect(m?.rtp).toContainEqual({ payload: 102, codec: 'telephone-event', rate: 16000 });
    expect(m?.ptime).toBe(20);
  });

  it('reads the peer’s answer to our offer', () => {
    const options = { ...local, codecs: ['PCMU', 'PCMA', 'G722'] as const };
    const offer = buildOffer(options);
    // The far end prefers G.722 and answers with our own answerer.
    const answer = ok(answerOffer(offer, { localAddress: '192.0.2.99', localPort: 20000, codecs: ['G722'] }));
    const accepted = acceptAnswer(answer.sdp, options);
    expect(accepted).toMatchObject({
      ok: true,
      media: {
        payloadType: 9,
        remoteAddress: '192.0.2.99',
        remotePort: 20000,
        direction: 'sendrecv',
        telephoneEvent: { payloadType: 101 },
      },
    });
    expect(accepted.ok && accepted.media.codec.name).toBe('G722');
    const refused = answer.sdp.replace('m=audio 20000', 'm=audio 0');
    expect(acceptAnswer(refused, options)).toMatchObject({ ok: false, reason: 'no-common-codec' });
  });
});
