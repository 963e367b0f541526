import { describe, expect, it } from 'vitest';
import { looksLikeRtcp, parseRtpPacket, serializeRtpPacket } from './rtp-packet.ts';

describe('RTP packets', () => {
  it('parses a PCMU packet byte by byte', () => {
    // V=2, no P/X, CC=0 | M=1, PT=0 | seq 0x1234 | ts 0xdeadbeef | ssrc 0x01020304 | payload
    const bytes = Uint8Array.from([0x80, 0x80, 0x12, 0x34, 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 0xff, 0xfe]);
    expect(parseRtpPacket(bytes)).toEqual({
      marker: true,
      payloadType: 0,
      sequenceNumber: 0x1234,
      timestamp: 0xdeadbeef,
      ssrc: 0x01020304,
      csrcs: [],
      payload: Uint8Array.from([0xff, 0xfe]),
      paddingLength: 0,
    });
  });

  it('round-trips CSRCs, a header extension and padding', () => {
    const packet = {
      marker: false,
      payloadType: 101,
      sequenceNumber: 65535,
      timestamp: 4294967295,
      ssrc: 0xcafebabe,
      csrcs: [1, 0xffffffff],
      extension: { profile: 0xbede, data: Uint8Array.from([0x10, 0xaa, 0, 0]) },
      payload: Uint8Array.from([1, 2, 3]),
      paddingLength: 5,
    };
    const bytes = serializeRtpPacket(packet);
    expect(bytes[0]).toBe(0x80 | 0x20 | 0x10 | 2);
    expect(bytes.length).toBe(12 + 8 + 8 + 3 + 5);
    expect(bytes[bytes.length - 1]).toBe(5);
    expect(parseRtpPacket(bytes)).toEqual(packet);
  });

  it('rejects what is not RTP instead of throwing', () => {
    expect(parseRtpPacket(new Uint8Array(11))).toBeUndefined(); // too short
    expect(parseRtpPacket(Uint8Array.from([0x40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]))).toBeUndefined(); // version 1
    expect(parseRtpPacket(Uint8Array.from([0x83, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]))).toBeUndefined(); // CSRCs missing
    expect(
      parseRtpPacket(Uint8Array.from([0x90, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xbe, 0xde, 0, 9])),
    ).toBeUndefined(); // extension overruns
    expect(parseRtpPacket(Uint8Array.from([0xa0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 40]))).toBeUndefined(); // padding overruns
    expect(parseRtpPacket(Uint8Array.from([0xa0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]))).toBeUndefined(); // padding count 0
  });

  it('tells RTCP from RTP on a shared port', () => {
    expect(looksLikeRtcp(Uint8Array.from([0x80, 200, 0, 6, 0, 0, 0, 0]))).toBe(true);
    expect(
      looksLikeRtcp(
        serializeRtpPacket({
          payloadType: 0,
          sequenceNumber: 1,
          timestamp: 1,
          ssrc: 1,
          payload: new Uint8Array(160),
        }),
      ),
    ).toBe(false);
  });
});
