/**
 * A minimal reader for classic libpcap capture files (not pcapng), enough to replay RTP from a
 * capture: both byte orders, microsecond and nanosecond timestamps, Ethernet (with 802.1Q tags),
 * Linux cooked, raw IP and BSD loopback link types; IPv4 and IPv6; UDP only. Other packets and
 * IP fragments are skipped.
 */

export interface UdpDatagram {
  /** Capture time in ms since 1970. */
  timeMs: number;
  sourceAddress: string;
  sourcePort: number;
  destinationAddress: string;
  destinationPort: number;
  payload: Uint8Array;
}

const LINKTYPE_NULL = 0;
const LINKTYPE_ETHERNET = 1;
const LINKTYPE_RAW = 101;
const LINKTYPE_LINUX_SLL = 113;
const LINKTYPE_IPV4 = 228;

export function readPcapUdp(file: Uint8Array): UdpDatagram[] {
  if (file.length < 24) throw new Error('not a pcap file: too short');
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const magic = view.getUint32(0, false);
  let little: boolean;
  let nanoseconds = false;
  if (magic === 0xa1b2c3d4 || magic === 0xa1b23c4d) little = false;
  else if (magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1) little = true;
  else throw new Error('not a pcap file: unknown magic number');
  if (magic === 0xa1b23c4d || magic === 0x4d3cb2a1) nanoseconds = true;
  const linkType = view.getUint32(20, little) & 0x0fffffff;
  const out: UdpDatagram[] = [];
  let offset = 24;
  while (offset + 16 <= file.length) {
    const seconds = view.getUint32(offset, little);
    const fraction = view.getUint32(offset + 4, little);
    const capturedLength = view.getUint32(offset + 8, little);
    const start = offset + 16;
    offset = start + capturedLength;
    if (offset > file.length) break;
    const frame = file.subarray(start, offset);
    const ip = linkPayload(frame, linkType);
    const datagram = ip && udpFromIp(ip);
    if (datagram)
      out.push({ timeMs: seconds * 1000 + (nanoseconds ? fraction / 1e6 : fraction / 1e3), ...datagram });
  }
  return out;
}

function linkPayload(frame: Uint8Array, linkType: number): Uint8Array | undefined {
  const u16 = (i: number): number => ((frame[i] as number) << 8) | (frame[i + 1] as number);
  switch (linkType) {
    case LINKTYPE_ETHERNET: {
      let at = 12;
      while (frame.length >= at + 2 && (u16(at) === 0x8100 || u16(at) === 0x88a8)) at += 4;
      if (frame.length < at + 2) return undefined;
      const etherType = u16(at);
      return etherType === 0x0800 || etherType === 0x86dd ? frame.subarray(at + 2) : undefined;
    }
    case LINKTYPE_LINUX_SLL:
      return frame.length > 16 ? frame.subarray(16) : undefined;
    case LINKTYPE_NULL:
      return frame.length > 4 ? frame.subarray(4) : undefined;
    case LINKTYPE_RAW:
    case LINKTYPE_IPV4:
      return frame;
    default:
      return undefined;
  }
}

function udpFromIp(ip: Uint8Array): Omit<UdpDatagram, 'timeMs'> | undefined {
  const version = (ip[0] ?? 0) >> 4;
  let protocol: number;
  let headerLength: number;
  let source: string;
  let destination: string;
  if (version === 4) {
    if (ip.length < 20) return undefined;
    headerLength = ((ip[0] as number) & 0x0f) * 4;
    const fragment = (((ip[6] as number) & 0x3f) << 8) | (ip[7] as number); // MF flag and offset
    if (fragment !== 0) return undefined;
    protocol = ip[9] as number;
    source = Array.from(ip.subarray(12, 16)).join('.');
    destination = Array.from(ip.subarray(16, 20)).join('.');
  } else if (version === 6) {
    if (ip.length < 40) return undefined;
    headerLength = 40;
    protocol = ip[6] as number;
    const hex = (bytes: Uint8Array): string =>
      Array.from({ length: 8 }, (_, i) =>
        (((bytes[2 * i] as number) << 8) | (bytes[2 * i + 1] as number)).toString(16),
      ).join(':');
    source = hex(ip.subarray(8, 24));
    destination = hex(ip.subarray(24, 40));
  } else {
    return undefined;
  }
  if (protocol !== 17 || ip.length < headerLength + 8) return undefined;
  const udp = ip.subarray(headerLength);
  const length = ((udp[4] as number) << 8) | (udp[5] as number) || udp.length;
  return {
    sourceAddress: source,
    sourcePort: ((udp[0] as number) << 8) | (udp[1] as number),
    destinationAddress: destination,
    destinationPort: ((udp[2] as number) << 8) | (udp[3] as number),
    payload: udp.slice(8, Math.min(length, udp.length)),
  };
}
