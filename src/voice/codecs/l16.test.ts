import { expect, it } from 'vitest';
import { decodeL16, encodeL16, encodeL16Into } from './l16.ts';

it('writes L16 in network byte order and reads it back exactly', () => {
  const samples = Int16Array.from([0, 1, -1, 0x1234, -32768, 32767]);
  const bytes = encodeL16(samples);
  expect(Array.from(bytes.subarray(0, 8))).toEqual([0x00, 0x00, 0x00, 0x01, 0xff, 0xff, 0x12, 0x34]);
  expect(Array.from(decodeL16(bytes))).toEqual(Array.from(samples));
});

it('reads a payload that starts at an odd offset of a larger buffer', () => {
  const buffer = new Uint8Array([9, 0x7f, 0xff, 0x80, 0x00]);
  expect(Array.from(decodeL16(buffer.subarray(1)))).toEqual([32767, -32768]);
});

it('encodes into a packet buffer at an offset, as encode does', () => {
  const samples = Int16Array.from([0, 1, -1, 0x1234, -32768, 32767]);
  const out = new Uint8Array(3 + 12);
  expect(encodeL16Into(samples, out, 3)).toBe(12);
  expect(Array.from(out.subarray(3))).toEqual(Array.from(encodeL16(samples)));
});
