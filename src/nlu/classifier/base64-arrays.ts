/** Typed arrays as base64 text (little-endian, as on every platform Node supports), for JSON models. */

export function toBase64(array: ArrayBufferView): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
}

function bytesOf(text: unknown, bytesPer: number, what: string): ArrayBuffer {
  if (typeof text !== 'string') throw new Error(`${what} must be a base64 string`);
  const bytes = Buffer.from(text, 'base64');
  if (bytes.byteLength % bytesPer !== 0)
    throw new Error(`${what}: ${bytes.byteLength} bytes is not a whole number of values`);
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return copy;
}

export const float32FromBase64 = (text: unknown, what: string): Float32Array =>
  new Float32Array(bytesOf(text, 4, what));
export const uint16FromBase64 = (text: unknown, what: string): Uint16Array =>
  new Uint16Array(bytesOf(text, 2, what));
export const int16FromBase64 = (text: unknown, what: string): Int16Array =>
  new Int16Array(bytesOf(text, 2, what));
export const uint32FromBase64 = (text: unknown, what: string): Uint32Array =>
  new Uint32Array(bytesOf(text, 4, what));
