import { describe, expect, it } from 'vitest';
import { G722Decoder, G722Encoder } from './g722.ts';
import { CODECS, samplesPerPacket, timestampStep } from './codec.ts';
import { dominantFrequencyHz, levelDbfs, sine, snrDb } from '../signal.ts';

/** Encode and decode in 20 ms packets, as a call would. */
function roundTrip(input: Int16Array): { decoded: Int16Array; packets: Uint8Array[] } {
  const encoder = new G722Encoder();
  const decoder = new G722Decoder();
  const decoded = new Int16Array(input.length);
  const packets: Uint8Array[] = [];
  for (let offset = 0; offset < input.length; offset += 320) {
    const packet = encoder.encode(input.subarray(offset, offset + 320));
    packets.push(packet);
    decoded.set(decoder.decode(packet), offset);
  }
  return { decoded, packets };
}

describe('G.722 at 64 kbit/s', () => {
  it('codes a 1 kHz tone with SNR above 20 dB, at the same frequency and level', () => {
    const tone = sine(1000, 1000, 16000, 10000);
    const { decoded, packets } = roundTrip(tone);
    expect(packets[0]?.length).toBe(160); // 20 ms = 320 samples = 160 octets
    const { snrDb: snr } = snrDb(tone, decoded, 64, 800);
    expect(snr).toBeGreaterThan(20);
    expect(dominantFrequencyHz(decoded.subarray(800), 16000)).toBe(1000);
    expect(Math.abs(levelDbfs(decoded, 800) - levelDbfs(tone, 800))).toBeLessThan(0.5);
  });

  it('carries wideband content: a 6 kHz tone (above narrowband telephony) survives in the higher sub-band', () => {
    const tone = sine(6000, 500, 16000, 8000);
    const { decoded } = roundTrip(tone);
    expect(snrDb(tone, decoded, 64, 800).snrDb).toBeGreaterThan(15);
    expect(dominantFrequencyHz(decoded.subarray(800), 16000)).toBe(6000);
  });

  it('is a stream coder: odd-sized chunks give the same octets as whole packets', () => {
    const tone = sine(440, 100, 16000, 12000);
    const whole = new G722Encoder().encode(tone);
    const chunked = new G722Encoder();
    const parts = [
      chunked.encode(tone.subarray(0, 101)),
      chunked.encode(tone.subarray(101, 700)),
      chunked.encode(tone.subarray(700)),
    ];
    const joined = Uint8Array.from(parts.flatMap((p) => Array.from(p)));
    expect(Array.from(joined)).toEqual(Array.from(whole));
  });

  it('decodes silence to near-silence and does not blow up on full-scale square waves', () => {
    const { decoded: quiet } = roundTrip(new Int16Array(3200));
    expect(levelDbfs(quiet)).toBeLessThan(-70);
    const square = Int16Array.from({ length: 3200 }, (_, i) => (Math.floor(i / 20) % 2 ? 32767 : -32768));
    const { decoded: loud } = roundTrip(square);
    expect(levelDbfs(loud, 800)).toBeGreaterThan(-3);
  });

  it('declares the RTP clock-rate quirk: 16 kHz audio, 8000 Hz timestamps', () => {
    expect(CODECS.G722.sampleRateHz).toBe(16000);
    expect(CODECS.G722.rtpClockRateHz).toBe(8000);
    expect(samplesPerPacket(CODECS.G722, 20)).toBe(320);
    expect(timestampStep(CODECS.G722, 20)).toBe(160);
  });

  it('encodes into a packet buffer as it encodes alone, odd chunks included', () => {
    const tone = sine(440, 100, 16000, 12000);
    const whole = new G722Encoder().encode(tone);
    const into = new G722Encoder();
    const out = new Uint8Array(12 + 800);
    let n = 12;
    for (const [from, to] of [
      [0, 101],
      [101, 700],
      [700, 1600],
    ] as const)
      n += into.encodeInto(tone.subarray(from, to), out, n);
    expect(n - 12).toBe(800);
    expect(Array.from(out.subarray(12))).toEqual(Array.from(whole));
  });
});
