import { describe, expect, it } from 'vitest';
import { FrameHarness } from '../frame-harness.ts';
import { audioFrame, DTMF_DIGITS, type DtmfFrame } from '../frames.ts';
import { decodeUlaw, encodeUlaw } from '../codecs/g711.ts';
import { sine } from '../signal.ts';
import { generateDtmfSequence, generateDtmfTone } from './dtmf-tone.ts';
import { InbandDtmfDetector } from './inband-detector.ts';

/** Feed audio in 20 ms frames, as a call delivers it. */
function detect(samples: Int16Array, sampleRateHz: number): DtmfFrame[] {
  const harness = new FrameHarness(new InbandDtmfDetector());
  const step = sampleRateHz / 50;
  for (let i = 0; i < samples.length; i += step)
    harness.push(audioFrame(samples.slice(i, i + step), sampleRateHz));
  harness.push({ type: 'end', reason: 'test' });
  return harness.ofType('dtmf');
}

describe('in-band DTMF detection', () => {
  it('detects all sixteen keys at 8 kHz, once each', () => {
    const found = detect(generateDtmfSequence(DTMF_DIGITS, { durationMs: 80, gapMs: 60 }), 8000);
    expect(found.map((f) => f.digit).join('')).toBe(DTMF_DIGITS);
    expect(found.every((f) => f.source === 'inband' && f.durationMs >= 50 && f.durationMs <= 110)).toBe(true);
  });

  it('detects digits at 16 kHz and after a G.711 round trip', () => {
    expect(detect(generateDtmfSequence('1234', { sampleRateHz: 16000 }), 16000).map((f) => f.digit)).toEqual([
      '1',
      '2',
      '3',
      '4',
    ]);
    const companded = decodeUlaw(encodeUlaw(generateDtmfSequence('90#', { levelDbfs: -20 })));
    expect(detect(companded, 8000).map((f) => f.digit)).toEqual(['9', '0', '#']);
  });

  it('reports a long key press once, with its duration', () => {
    const found = detect(generateDtmfTone('5', { durationMs: 1000 }), 8000);
    expect(found).toHaveLength(1);
    expect(found[0]?.durationMs).toBeGreaterThan(900);
  });

  it('rejects tones that are too short, too quiet, or too twisted', () => {
    expect(detect(generateDtmfTone('5', { durationMs: 25 }), 8000)).toEqual([]);
    expect(detect(generateDtmfTone('5', { levelDbfs: -45, durationMs: 200 }), 8000)).toEqual([]);
    expect(detect(generateDtmfTone('5', { twistDb: 14, levelDbfs: -20, durationMs: 200 }), 8000)).toEqual([]);
  });

  it('ignores single tones, music-like chords and noise', () => {
    expect(detect(sine(770, 500, 8000, 8000), 8000)).toEqual([]);
    const [a, c, e] = [sine(440, 500, 8000, 5000), sine(554, 500, 8000, 5000), sine(659, 500, 8000, 5000)];
    const chord = a.map((v, i) => v + (c[i] as number) + (e[i] as number));
    expect(detect(chord, 8000)).toEqual([]);
    let seed = 1;
    const noise = Int16Array.from(
      { length: 8000 },
      () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 16000) - 8000,
    );
    expect(detect(noise, 8000)).toEqual([]);
  });

  it('passes audio through unchanged', () => {
    const harness = new FrameHarness(new InbandDtmfDetector());
    const frame = audioFrame(new Int16Array(160), 8000, 40);
    harness.push(frame);
    expect(harness.output).toEqual([frame]);
  });
});
