/**
 * RTCP basics (RFC 3550 §6.4–6.6): sender and receiver reports with report blocks, SDES CNAME and BYE,
 * built into compound packets and parsed from them. Other packet types are skipped when parsing.
 */

export interface ReportBlock {
  ssrc: number;
  /** Fraction of packets lost since the previous report, 0–255 (out of 256). */
  fractionLost: number;
  /** Cumulative packets lost (24-bit signed). */
  cumulativeLost: number;
  extendedHighestSequence: number;
  /** Interarrival jitter in RTP timestamp units. */
  jitter: number;
  /** Middle 32 bits of the NTP timestamp of the last SR from this source, 0 if none. */
  lastSenderReport: number;
  /** Delay since that SR, in 1/65536 s. */
  delaySinceLastSenderReport: number;
}

export interface SenderInfo {
  ntpSeconds: number;
  ntpFraction: number;
  rtpTimestamp: number;
  packetCount: number;
  octetCount: number;
}

export type RtcpPacket =
  | { type: 'sr'; ssrc: number; sender: SenderInfo; reports: ReportBlock[] }
  | { type: 'rr'; ssrc: number; reports: ReportBlock[] }
  | { type: 'sdes'; chunks: Array<{ ssrc: number; cname?: string }> }
  | { type: 'bye'; ssrcs: number[]; reason?: string };

const PT_SR = 200;
const PT_RR = 201;
const PT_SDES = 202;
const PT_BYE = 203;

class Writer {
  readonly bytes: number[] = [];
  u8(v: number): void {
    this.bytes.push(v & 0xff);
  }
  u16(v: number): void {
    this.u8(v >>> 8);
    this.u8(v);
  }
  u24(v: number): void {
    this.u8(v >>> 16);
    this.u16(v & 0xffff);
  }
  u32(v: number): void {
    this.u16((v >>> 16) & 0xffff);
    this.u16(v & 0xffff);
  }
}

function writeReportBlock(w: Writer, block: ReportBlock): void {
  w.u32(block.ssrc);
  w.u8(Math.max(0, Math.min(255, block.fractionLost)));
  const lost = Math.max(-0x800000, Math.min(0x7fffff, block.cumulativeLost));
  w.u24(lost & 0xffffff);
  w.u32(block.extendedHighestSequence);
  w.u32(Math.round(block.jitter));
  w.u32(block.lastSenderReport);
  w.u32(block.delaySinceLastSenderReport);
}

/** Serialise one RTCP packet, padded to a 32-bit boundary. */
function buildOne(packet: RtcpPacket): number[] {
  const body = new Writer();
  let count = 0;
  let type: number;
  switch (packet.type) {
    case 'sr':
      type = PT_SR;
      count = packet.reports.length;
      body.u32(packet.ssrc);
      body.u32(packet.sender.ntpSeconds);
      body.u32(packet.sender.ntpFraction);
      body.u32(packet.sender.rtpTimestamp);
      body.u32(packet.sender.packetCount);
      body.u32(packet.sender.octetCount);
      for (const r of packet.reports) writeReportBlock(body, r);
      break;
    case 'rr':
      type = PT_RR;
      count = packet.reports.length;
      body.u32(packet.ssrc);
      for (const r of packet.reports) writeReportBlock(body, r);
      break;
    case 'sdes':
      type = PT_SDES;
      count = packet.chunks.length;
      for (const chunk of packet.chunks) {
        body.u32(chunk.ssrc);
        const start = body.bytes.length;
        if (chunk.cname !== undefined) {
          const cname = new TextEncoder().encode(chunk.cname).subarray(0, 255);
          body.u8(1);
          body.u8(cname.length);
          for (const b of cname) body.u8(b);
        }
        // End of item list, then pad the chunk to 32 bits (at least one null octet).
        do body.u8(0);
        while ((body.bytes.length - start) % 4 !== 0);
      }
      break;
    case 'bye': {
      type = PT_BYE;
      count = packet.ssrcs.length;
      for (const ssrc of packet.ssrcs) body.u32(ssrc);
      if (packet.reason !== undefined) {
        const reason = new TextEncoder().encode(packet.reason).subarray(0, 255);
        body.u8(reason.length);
        for (const b of reason) body.u8(b);
        while (body.bytes.length % 4 !== 0) body.u8(0);
      }
      break;
    }
  }
  if (count > 31) throw new RangeError('an RTCP packet holds at most 31 report blocks or chunks');
  const header = new Writer();
  header.u8((2 << 6) | count);
  header.u8(type);
  header.u16(body.bytes.length / 4);
  return [...header.bytes, ...body.bytes];
}

/** A compound RTCP packet; RFC 3550 wants it to start with an SR or RR and to carry an SDES CNAME. */
export function buildRtcpCompound(packets: RtcpPacket[]): Uint8Array {
  return Uint8Array.from(packets.flatMap(buildOne));
}

function readReportBlocks(
  view: DataView,
  offset: number,
  count: number,
  end: number,
): ReportBlock[] | undefined {
  const reports: ReportBlock[] = [];
  for (let i = 0; i < count; i++, offset += 24) {
    if (offset + 24 > end) return undefined;
    const lostRaw = (view.getUint8(offset + 5) << 16) | view.getUint16(offset + 6);
    reports.push({
      ssrc: view.getUint32(offset),
      fractionLost: view.getUint8(offset + 4),
      cumulativeLost: lostRaw & 0x800000 ? lostRaw - 0x1000000 : lostRaw,
      extendedHighestSequence: view.getUint32(offset + 8),
      jitter: view.getUint32(offset + 12),
      lastSenderReport: view.getUint32(offset + 16),
      delaySinceLastSenderReport: view.getUint32(offset + 20),
    });
  }
  return reports;
}

/** Parse a compound packet; returns undefined when it is not valid RTCP. */
export function parseRtcpCompound(datagram: Uint8Array): RtcpPacket[] | undefined {
  const view = new DataView(datagram.buffer, datagram.byteOffset, datagram.byteLength);
  const packets: RtcpPacket[] = [];
  let offset = 0;
  while (offset + 4 <= datagram.length) {
    const first = view.getUint8(offset);
    if (first >> 6 !== 2) return undefined;
    const count = first & 0x1f;
    const type = view.getUint8(offset + 1);
    const end = offset + 4 + view.getUint16(offset + 2) * 4;
    if (end > datagram.length) return undefined;
    const body = offset + 4;
    if (type === PT_SR) {
      if (body + 24 > end) return undefined;
      const reports = readReportBlocks(view, body + 24, count, end);
      if (!reports) return undefined;
      packets.push({
        type: 'sr',
        ssrc: view.getUint32(body),
        sender: {
          ntpSeconds: view.getUint32(body + 4),
          ntpFraction: view.getUint32(body + 8),
          rtpTimestamp: view.getUint32(body + 12),
          packetCount: view.getUint32(body + 16),
          octetCount: view.getUint32(body + 20),
        },
        reports,
      });
    } else if (type === PT_RR) {
      if (body + 4 > end) return undefined;
      const reports = readReportBlocks(view, body + 4, count, end);
      if (!reports) return undefined;
      packets.push({ type: 'rr', ssrc: view.getUint32(body), reports });
    } else if (type === PT_SDES) {
      const chunks: Array<{ ssrc: number; cname?: string }> = [];
      let p = body;
      for (let i = 0; i < count && p + 4 <= end; i++) {
        const chunk: { ssrc: number; cname?: string } = { ssrc: view.getUint32(p) };
        p += 4;
        while (p < end && view.getUint8(p) !== 0) {
          const itemType = view.getUint8(p);
          const length = p + 1 < end ? view.getUint8(p + 1) : 0;
          if (p + 2 + length > end) return undefined;
          if (itemType === 1)
            chunk.cname = new TextDecoder().decode(datagram.subarray(p + 2, p + 2 + length));
          p += 2 + length;
        }
        p += 1; // the null octet ending the item list
        p = body + Math.ceil((p - body) / 4) * 4;
        chunks.push(chunk);
      }
      packets.push({ type: 'sdes', chunks });
    } else if (type === PT_BYE) {
      const ssrcs: number[] = [];
      let p = body;
      for (let i = 0; i < count && p + 4 <= end; i++, p += 4) ssrcs.push(view.getUint32(p));
      let reason: string | undefined;
      if (p < end) {
        const length = view.getUint8(p);
        if (p + 1 + length <= end)
          reason = new TextDecoder().decode(datagram.subarray(p + 1, p + 1 + length));
      }
      packets.push({ type: 'bye', ssrcs, ...(reason !== undefined ? { reason } : {}) });
    }
    offset = end;
  }
  return offset === datagram.length && packets.length > 0 ? packets : undefined;
}

/** NTP timestamp (seconds since 1900 and 2^-32 fraction) of a wall-clock time in ms since 1970. */
export function ntpFromUnixMs(unixMs: number): { ntpSeconds: number; ntpFraction: number } {
  const seconds = Math.floor(unixMs / 1000);
  const fraction = Math.floor(((unixMs - seconds * 1000) / 1000) * 2 ** 32);
  return { ntpSeconds: (seconds + 2208988800) >>> 0, ntpFraction: fraction >>> 0 };
}

/** The middle 32 bits of an NTP timestamp, as the LSR field of a report block wants them. */
export function ntpMiddle32(ntpSeconds: number, ntpFraction: number): number {
  return (((ntpSeconds & 0xffff) << 16) | (ntpFraction >>> 16)) >>> 0;
}
