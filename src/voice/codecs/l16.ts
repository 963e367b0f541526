/** L16 (RFC 3551 §4.5.11): 16-bit signed linear PCM in network byte order (big-endian). */

export function encodeL16(samples: Int16Array): Uint8Array {
  const out = new Uint8Array(samples.length * 2);
  encodeL16Into(samples, out, 0);
  return out;
}

/** Encode into `out` from `offset` (the RTP sender's packet buffer); returns the octets written. */
export function encodeL16Into(samples: Int16Array, out: Uint8Array, offset: number): number {
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i] as number;
    out[offset + 2 * i] = (v >> 8) & 0xff;
    out[offset + 2 * i + 1] = v & 0xff;
  }
  return samples.length * 2;
}

/** An odd trailing byte (a damaged packet) is ignored. */
export function decodeL16(payload: Uint8Array): Int16Array {
  const count = payload.length >> 1;
  const out = new Int16Array(count);
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  for (let i = 0; i < count; i++) out[i] = view.getInt16(i * 2, false);
  return out;
}
