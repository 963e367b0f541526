import { describe, expect, it } from 'vitest';
import { WavStreamReader } from './wav-stream-reader.ts';

function wav(samples: number[], channels = 1, rateHz = 22050, declaredBytes = 0x7ffff000): Buffer {
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(declaredBytes + 36, 4);
  h.write('WAVEfmt ', 8, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(rateHz, 24);
  h.writeUInt32LE(rateHz * 2 * channels, 28);
  h.writeUInt16LE(2 * channels, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(declaredBytes, 40);
  const body = Buffer.alloc(samples.length * 2);
  samples.forEach((s, i) => body.writeInt16LE(s, i * 2));
  return Buffer.concat([h, body]);
}

describe('reading streamed WAV', () => {
  it('reads PCM byte by byte across the header and odd sample boundaries, ignoring the placeholder length', () => {
    const reader = new WavStreamReader('test');
    const bytes = wav([1, -2, 300, -32768, 32767]);
    const got: number[] = [];
    for (const b of bytes) got.push(...reader.push(Buffer.from([b])));
    expect(got).toEqual([1, -2, 300, -32768, 32767]);
    expect(reader.sampleRateHz).toBe(22050);
  });

  it('mixes stereo down to mono', () => {
    const reader = new WavStreamReader('test');
    expect([...reader.push(wav([100, 300, -50, -150], 2))]).toEqual([200, -100]);
  });

  it('refuses what is not WAV', () => {
    expect(() => new WavStreamReader('tts').push(Buffer.from('this is not audio at all'))).toThrow(/tts did not produce WAV/);
  });
});
