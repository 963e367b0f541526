import { describe, expect, it } from 'vitest';
import {
  ALAW_SILENCE,
  alawToLinear,
  decodeAlaw,
  decodeUlaw,
  encodeAlaw,
  encodeAlawInto,
  encodeUlaw,
  encodeUlawInto,
  linearToAlaw,
  linearToUlaw,
  ULAW_SILENCE,
  ulawToLinear,
} from './g711.ts';
import { sine, snrDb } from '../signal.ts';

describe('G.711 µ-law', () => {
  it('matches reference code points of the Recommendation', () => {
    expect(linearToUlaw(0)).toBe(0xff);
    expect(ULAW_SILENCE).toBe(0xff);
    expect(linearToUlaw(-1)).toBe(0x7f); // negative zero
    expect(linearToUlaw(32767)).toBe(0x80);
    expect(linearToUlaw(-32768)).toBe(0x00);
    expect(ulawToLinear(0xff)).toBe(0);
    expect(ulawToLinear(0x80)).toBe(32124);
    expect(ulawToLinear(0x00)).toBe(-32124);
    // Segment 0 steps of 8 (2 in 14-bit units) and the segment boundary at 31 in 14-bit units
    expect(ulawToLinear(0xfe)).toBe(8);
    expect(ulawToLinear(0xf0)).toBe(120); // top of segment 0: 30 << 2
    expect(ulawToLinear(0xef)).toBe(132); // bottom of segment 1: 33 << 2
    expect(ulawToLinear(0xe0)).toBe(372); // top of segment 1: 93 << 2
  });

  it('round-trips every 16-bit value within half a quantisation step', () => {
    const failures: number[] = [];
    for (let x = -32124; x <= 32124; x++) {
      const y = ulawToLinear(linearToUlaw(x));
      const segment = Math.max(0, Math.floor(Math.log2((Math.abs(x) >> 2) + 33)) - 5);
      const halfStep = 1 << (segment + 2); // in 16-bit units; +4 for the two bits µ-law ignores
      if (Math.abs(y - x) > halfStep + 4 || (y !== 0 && Math.sign(y) !== Math.sign(x))) failures.push(x);
    }
    expect(failures).toEqual([]);
  });

  it('is monotonic: a louder input never decodes quieter', () => {
    let previous = -Infinity;
    let violations = 0;
    for (let x = -32768; x <= 32767; x++) {
      const y = ulawToLinear(linearToUlaw(x));
      if (y < previous) violations++;
      previous = y;
    }
    expect(violations).toBe(0);
  });

  it('keeps speech-level tones at the ~38 dB SNR of 8-bit log PCM', () => {
    const tone = sine(1000, 200, 8000, 10000);
    expect(snrDb(tone, decodeUlaw(encodeUlaw(tone)), 0).snrDb).toBeGreaterThan(35);
  });
});

describe('G.711 A-law', () => {
  it('matches reference code points of the Recommendation', () => {
    expect(linearToAlaw(0)).toBe(0xd5);
    expect(ALAW_SILENCE).toBe(0xd5);
    expect(linearToAlaw(-1)).toBe(0x55);
    expect(linearToAlaw(32767)).toBe(0xaa);
    expect(linearToAlaw(-32768)).toBe(0x2a);
    expect(alawToLinear(0xd5)).toBe(8);
    expect(alawToLinear(0x55)).toBe(-8);
    expect(alawToLinear(0xaa)).toBe(32256);
    expect(alawToLinear(0x2a)).toBe(-32256);
    expect(alawToLinear(0xd4)).toBe(24); // second step of segment 0
  });

  it('round-trips every 16-bit value within half a quantisation step', () => {
    const failures: number[] = [];
    for (let x = -32256; x <= 32256; x++) {
      const y = alawToLinear(linearToAlaw(x));
      const magnitude = Math.abs(x) >> 4;
      const segment = magnitude < 32 ? 1 : Math.floor(Math.log2(magnitude)) - 3;
      const halfStep = 8 << (segment - 1); // in 16-bit units; +16 for the four bits A-law ignores
      if (Math.abs(y - x) > halfStep + 16 || Math.sign(y) !== (x < 0 ? -1 : 1)) failures.push(x);
    }
    expect(failures).toEqual([]);
  });

  it('keeps speech-level tones at the ~38 dB SNR of 8-bit log PCM', () => {
    const tone = sine(1000, 200, 8000, 10000);
    expect(snrDb(tone, decodeAlaw(encodeAlaw(tone)), 0).snrDb).toBeGreaterThan(35);
  });
});

describe('G.711 into a packet buffer', () => {
  it('writes the same octets as encode, at the offset given, and nothing else', () => {
    const tone = sine(1000, 20, 8000, 10000);
    for (const [encode, encodeInto] of [
      [encodeUlaw, encodeUlawInto],
      [encodeAlaw, encodeAlawInto],
    ] as const) {
      const out = new Uint8Array(12 + 160 + 4).fill(7);
      expect(encodeInto(tone, out, 12)).toBe(160);
      expect(Array.from(out.subarray(12, 172))).toEqual(Array.from(encode(tone)));
      expect([...out.subarray(0, 12), ...out.subarray(172)].every((b) => b === 7)).toBe(true);
    }
  });
});
