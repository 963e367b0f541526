import { describe, expect, it } from 'vitest';
import {
  buildRtcpCompound,
  ntpFromUnixMs,
  ntpMiddle32,
  parseRtcpCompound,
  type RtcpPacket,
} from './rtcp-packet.ts';

const block = {
  ssrc: 0x11111111,
  fractionLost: 25,
  cumulativeLost: -3,
  extendedHighestSequence: 0x0001_0005,
  jitter: 42,
  lastSenderReport: 0x12345678,
  delaySinceLastSenderReport: 65536,
};

describe('RTCP', () => {
  it('builds and parses a compound SR + SDES CNAME', () => {
    const packets: RtcpPacket[] = [
      {
        type: 'sr',
        ssrc: 0xabcdef01,
        sender: {
          ntpSeconds: 3900000000,
          ntpFraction: 0x80000000,
          rtpTimestamp: 160000,
          packetCount: 1000,
          octetCount: 160000,
        },
        reports: [block],
      },
      { type: 'sdes', chunks: [{ ssrc: 0xabcdef01, cname: 'parley@10.0.0.1' }] },
    ];
    const bytes = buildRtcpCompound(packets);
    expect(bytes.length % 4).toBe(0);
    expect(bytes[0]).toBe(0x81); // V=2, RC=1
    expect(bytes[1]).toBe(200);
    expect(((bytes[2] as number) << 8) | (bytes[3] as number)).toBe((4 + 24 + 24) / 4 - 1); // length: 32-bit words minus one
    expect(parseRtcpCompound(bytes)).toEqual(packets);
  });

  it('builds and parses RR and BYE with a reason', () => {
    const packets: RtcpPacket[] = [
      { type: 'rr', ssrc: 7, reports: [block, { ...block, ssrc: 8, cumulativeLost: 1000 }] },
      { type: 'sdes', chunks: [{ ssrc: 7, cname: 'abc' }] },
      { type: 'bye', ssrcs: [7], reason: 'call ended' },
    ];
    expect(parseRtcpCompound(buildRtcpCompound(packets))).toEqual(packets);
  });

  it('skips unknown packet types and rejects truncated compounds', () => {
    const app = Uint8Array.from([0x80, 204, 0, 2, 0, 0, 0, 1, 0x61, 0x62, 0x63, 0x64]);
    const rr = buildRtcpCompound([{ type: 'rr', ssrc: 9, reports: [] }]);
    expect(parseRtcpCompound(Uint8Array.from([...rr, ...app]))).toEqual([
      { type: 'rr', ssrc: 9, reports: [] },
    ]);
    expect(parseRtcpCompound(rr.subarray(0, rr.length - 1))).toBeUndefined();
    expect(parseRtcpCompound(Uint8Array.from([0x40, 201, 0, 1, 0, 0, 0, 9]))).toBeUndefined();
  });

  it('converts wall-clock time to NTP as sender reports need it', () => {
    const { ntpSeconds, ntpFraction } = ntpFromUnixMs(1_700_000_000_500);
    expect(ntpSeconds).toBe(1_700_000_000 + 2208988800);
    expect(ntpFraction).toBe(2 ** 31);
    expect(ntpMiddle32(0x12345678, 0x9abcdef0)).toBe(0x56789abc);
  });
});
