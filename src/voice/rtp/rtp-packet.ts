/**
 * RTP fixed header, CSRC list, header extension and padding (RFC 3550 §5.1, §5.3.1).
 * Parsing is for untrusted datagrams: anything malformed gives `undefined`, never an exception.
 */

export interface RtpHeaderExtension {
  /** The 16-bit profile-defined identifier (0xBEDE for RFC 8285 one-byte headers). */
  profile: number;
  /** Extension data, a multiple of four octets. */
  data: Uint8Array;
}

export interface RtpPacket {
  marker: boolean;
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  csrcs: readonly number[];
  extension?: RtpHeaderExtension;
  /** A view into the parsed datagram (not a copy). */
  payload: Uint8Array;
  /** Padding octets that followed the payload (removed from `payload`). */
  paddingLength: number;
}

export const RTP_VERSION = 2;
export const RTP_HEADER_LENGTH = 12;

/** RTCP packet types 192–223 in the second octet mark RTCP sharing the port (RFC 5761 §4). */
export function looksLikeRtcp(datagram: Uint8Array): boolean {
  const second = datagram[1];
  return datagram.length >= 8 && second !== undefined && second >= 192 && second <= 223;
}

/** Shared by every packet without contributing sources (nearly all): one array less per packet. */
const NO_CSRCS: readonly number[] = Object.freeze([]);

/** Big-endian unsigned 16 and 32 bits (no DataView to allocate per packet). */
function uint16(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] as number) << 8) | (bytes[offset + 1] as number);
}
function uint32(bytes: Uint8Array, offset: number): number {
  return (
    (((bytes[offset] as number) << 24) |
      ((bytes[offset + 1] as number) << 16) |
      ((bytes[offset + 2] as number) << 8) |
      (bytes[offset + 3] as number)) >>>
    0
  );
}

/**
 * The payload (and extension data) are views into `datagram`, not copies: a call receives 50 packets a
 * second, and Node gives each datagram a buffer of its own. A caller that reuses its datagram buffer must
 * copy what it keeps.
 */
export function parseRtpPacket(datagram: Uint8Array): RtpPacket | undefined {
  if (datagram.length < RTP_HEADER_LENGTH) return undefined;
  const first = datagram[0] as number;
  if (first >> 6 !== RTP_VERSION) return undefined;
  const hasPadding = (first & 0x20) !== 0;
  const hasExtension = (first & 0x10) !== 0;
  const csrcCount = first & 0x0f;
  const second = datagram[1] as number;
  let offset = RTP_HEADER_LENGTH;
  if (datagram.length < offset + csrcCount * 4) return undefined;
  let csrcs = NO_CSRCS;
  if (csrcCount > 0) {
    const list: number[] = [];
    for (let i = 0; i < csrcCount; i++, offset += 4) list.push(uint32(datagram, offset));
    csrcs = list;
  }
  let extension: RtpHeaderExtension | undefined;
  if (hasExtension) {
    if (datagram.length < offset + 4) return undefined;
    const profile = uint16(datagram, offset);
    const words = uint16(datagram, offset + 2);
    offset += 4;
    if (datagram.length < offset + words * 4) return undefined;
    extension = { profile, data: datagram.subarray(offset, offset + words * 4) };
    offset += words * 4;
  }
  let end = datagram.length;
  let paddingLength = 0;
  if (hasPadding) {
    paddingLength = datagram[end - 1] as number;
    if (paddingLength === 0 || offset + paddingLength > end) return undefined;
    end -= paddingLength;
  }
  const packet: RtpPacket = {
    marker: (second & 0x80) !== 0,
    payloadType: second & 0x7f,
    sequenceNumber: uint16(datagram, 2),
    timestamp: uint32(datagram, 4),
    ssrc: uint32(datagram, 8),
    csrcs,
    payload: datagram.subarray(offset, end),
    paddingLength,
  };
  if (extension) packet.extension = extension;
  return packet;
}

export interface RtpPacketInit {
  marker?: boolean;
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  csrcs?: number[];
  extension?: RtpHeaderExtension;
  payload: Uint8Array;
  /** Pad the packet with this many octets (1–255), e.g. for encryption block sizes. */
  paddingLength?: number;
}

export function serializeRtpPacket(packet: RtpPacketInit): Uint8Array {
  const csrcs = (packet.csrcs ?? []).slice(0, 15);
  const extension = packet.extension;
  if (extension && extension.data.length % 4 !== 0)
    throw new RangeError('RTP header extension data must be a multiple of 4 octets');
  const padding = packet.paddingLength ?? 0;
  if (padding < 0 || padding > 255) throw new RangeError('RTP padding must be 0–255 octets');
  const extensionLength = extension ? 4 + extension.data.length : 0;
  const headerLength = RTP_HEADER_LENGTH + csrcs.length * 4 + extensionLength;
  const out = new Uint8Array(headerLength + packet.payload.length + padding);
  const view = new DataView(out.buffer);
  out[0] = (RTP_VERSION << 6) | (padding > 0 ? 0x20 : 0) | (extension ? 0x10 : 0) | csrcs.length;
  out[1] = (packet.marker ? 0x80 : 0) | (packet.payloadType & 0x7f);
  view.setUint16(2, packet.sequenceNumber & 0xffff);
  view.setUint32(4, packet.timestamp >>> 0);
  view.setUint32(8, packet.ssrc >>> 0);
  let offset = RTP_HEADER_LENGTH;
  for (const csrc of csrcs) {
    view.setUint32(offset, csrc >>> 0);
    offset += 4;
  }
  if (extension) {
    view.setUint16(offset, extension.profile & 0xffff);
    view.setUint16(offset + 2, extension.data.length / 4);
    out.set(extension.data, offset + 4);
    offset += extensionLength;
  }
  out.set(packet.payload, offset);
  if (padding > 0) out[out.length - 1] = padding;
  return out;
}
