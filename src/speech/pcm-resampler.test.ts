import { describe, expect, it } from 'vitest';
import { createPcmResampler } from './pcm-resampler.ts';

function tone(hz: number, rateHz: number, seconds: number, amplitude = 10000): Int16Array {
  return Int16Array.from({ length: Math.round(rateHz * seconds) }, (_, i) => Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / rateHz)));
}

function zeroCrossings(s: Int16Array): number {
  let n = 0;
  for (let i = 1; i < s.length; i++) if ((s[i - 1]! < 0) !== (s[i]! < 0)) n++;
  return n;
}

function rms(s: Int16Array): number {
  return Math.sqrt(s.reduce((a, x) => a + x * x, 0) / s.length);
}

describe('rational resampling', () => {
  it('turns 22 050 Hz speech-band audio into 16 000 Hz with the same pitch and level, fed in odd-sized chunks', () => {
    const r = createPcmResampler(22050, 16000);
    const input = tone(1000, 22050, 1);
    const parts: Int16Array[] = [];
    for (let i = 0; i < input.length; i += 441 + (i % 7)) parts.push(r.process(input.subarray(i, i + 441 + (i % 7))));
    const out = Int16Array.from(parts.flatMap((p) => [...p]));
    expect(Math.abs(out.length - 16000)).toBeLessThanOrEqual(2);
    const steady = out.subarray(200, 15800);
    expect(zeroCrossings(steady) / (steady.length / 16000)).toBeCloseTo(2000, -1);
    expect(rms(steady) / (10000 / Math.SQRT2)).toBeGreaterThan(0.97);
    expect(rms(steady) / (10000 / Math.SQRT2)).toBeLessThan(1.03);
  });

  it('removes what the lower rate cannot carry instead of folding it back as a false tone', () => {
    const out = createPcmResampler(22050, 16000).process(tone(9500, 22050, 0.5));
    expect(rms(out.subarray(200))).toBeLessThan(150);
  });

  it('passes audio through unchanged at the same rate', () => {
    const s = tone(440, 16000, 0.01);
    expect(createPcmResampler(16000, 16000).process(s)).toBe(s);
  });
});
