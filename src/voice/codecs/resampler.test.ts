import { describe, expect, it } from 'vitest';
import { createResampler } from './resampler.ts';
import { dominantFrequencyHz, levelDbfs, sine, tonePower } from '../signal.ts';

/** Feed in 20 ms packets, as a call would. */
function run(fromHz: number, toHz: number, input: Int16Array): Int16Array {
  const resampler = createResampler(fromHz, toHz);
  const packet = fromHz / 50;
  const parts: Int16Array[] = [];
  for (let i = 0; i < input.length; i += packet) parts.push(resampler.process(input.subarray(i, i + packet)));
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

describe('resampler', () => {
  it('8 kHz → 16 kHz keeps a 1 kHz tone at its frequency and level, twice the samples', () => {
    const input = sine(1000, 500, 8000, 10000);
    const out = run(8000, 16000, input);
    expect(out.length).toBe(input.length * 2);
    expect(dominantFrequencyHz(out.subarray(400), 16000)).toBe(1000);
    expect(Math.abs(levelDbfs(out, 400) - levelDbfs(input, 200))).toBeLessThan(0.2);
  });

  it('8 kHz → 16 kHz leaves no image of the tone above 4 kHz', () => {
    const out = run(8000, 16000, sine(1000, 500, 8000, 10000));
    const image = tonePower(out, 7000, 16000, 400, 6000);
    const wanted = tonePower(out, 1000, 16000, 400, 6000);
    expect(10 * Math.log10(wanted / image)).toBeGreaterThan(50);
  });

  it('16 kHz → 8 kHz keeps a 1 kHz tone, half the samples', () => {
    const input = sine(1000, 500, 16000, 10000);
    const out = run(16000, 8000, input);
    expect(out.length).toBe(input.length / 2);
    expect(dominantFrequencyHz(out.subarray(200), 8000)).toBe(1000);
    expect(Math.abs(levelDbfs(out, 200) - levelDbfs(input, 400))).toBeLessThan(0.2);
  });

  it('16 kHz → 8 kHz filters instead of dropping samples: a 6 kHz tone does not alias to 2 kHz', () => {
    const input = sine(6000, 500, 16000, 10000);
    const out = run(16000, 8000, input);
    // Dropping every other sample would fold 6 kHz onto 2 kHz at full level.
    expect(levelDbfs(out, 200)).toBeLessThan(levelDbfs(input) - 50);
  });

  it('passes equal rates through and refuses ratios it cannot do', () => {
    const input = sine(500, 20, 8000);
    expect(Array.from(createResampler(8000, 8000).process(input))).toEqual(Array.from(input));
    expect(() => createResampler(8000, 11025)).toThrow(/integer ratios/);
  });

  it('gives the same samples into a kept buffer as process does, whatever the chunk sizes', () => {
    for (const [from, to] of [
      [8000, 16000],
      [16000, 8000],
      [16000, 16000],
    ] as const) {
      const input = sine(700, 300, from, 9000);
      const a = createResampler(from, to);
      const b = createResampler(from, to);
      const expected: number[] = [];
      const got: number[] = [];
      const out = new Int16Array(2 * 160);
      for (let i = 0, size = 37; i < input.length; i += size, size = size === 37 ? 160 : 37) {
        const chunk = input.subarray(i, i + size);
        expected.push(...a.process(chunk));
        const length = b.outputLength(chunk.length);
        expect(b.processInto(chunk, out)).toBe(length);
        got.push(...out.subarray(0, length));
      }
      expect(got).toEqual(expected);
    }
  });
});
