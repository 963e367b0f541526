/** L16 (RFC 3551 §4.5.11): 16-bit signed linear PCM in network byte order (big-endian). */

export function encodeL16(samples: Int16Array): Uint8Array {
  const out = new Uint8Array(samples.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < samples.length; i++) view.setInt16(i * 2, samples[i] as number, false);
  return out;
}

/** An odd trailing byte (a damaged packet) is ignored. */
export function decodeL16(payload: Uint8Array): Int16Array {
  const count = payload.length >> 1;
  const out = new Int16Array(count);
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  for (let i = 0; i < count; i++) out[i] = view.getInt16(i * 2, false);
  return out;
}
