/**
 * The TTS providers against the real Debian programs (espeak-ng, flite) and the cache in front of them.
 */
import { describe, expect, it } from 'vitest';
import { ParleyError } from '../errors.ts';
import { createEspeakTts } from './espeak-tts.ts';
import { createFliteTts } from './flite-tts.ts';
import { TtsCache } from './tts-cache.ts';
import type { PcmChunk, TtsProvider } from './tts-port.ts';

async function collect(source: AsyncIterable<Int16Array>): Promise<{ samples: Int16Array; chunks: number }> {
  const parts: Int16Array[] = [];
  for await (const c of source) parts.push(c);
  const samples = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    samples.set(p, at);
    at += p.length;
  }
  return { samples, chunks: parts.length };
}

function rms(samples: Int16Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / Math.max(1, samples.length));
}

describe('espeak-ng', () => {
  it('declares streaming, SSML, its languages and an English voice', async () => {
    const tts = await createEspeakTts();
    expect(tts.capabilities).toMatchObject({ streaming: true, ssml: true });
    expect(tts.capabilities.languages).toEqual(expect.arrayContaining(['en-US', 'fr-FR', 'de']));
    expect(tts.voiceFor('en')).toBe('en-us');
    expect(tts.voiceFor('fr-FR')).toBe('fr-fr');
    expect(tts.voiceFor('xx')).toBeUndefined();
  });

  it('speaks a prompt as 16 kHz audio that lasts as long as the words', async () => {
    const cache = new TtsCache({ provider: await createEspeakTts() });
    const { samples } = await collect(cache.speak({ text: 'Welcome to Acme Bank. How can I help?', voice: 'en-us' }));
    const seconds = samples.length / 16000;
    expect(seconds).toBeGreaterThan(1.2);
    expect(seconds).toBeLessThan(5);
    expect(rms(samples)).toBeGreaterThan(500);
  });

  it('reads SSML: a break makes the prompt longer by about its time, and the tags are not spoken', async () => {
    const cache = new TtsCache({ provider: await createEspeakTts() });
    const plain = await collect(cache.speak({ text: '<speak>Hello there. Goodbye.</speak>' }));
    const paused = await collect(cache.speak({ text: '<speak>Hello there. <break time="1500ms"/> Goodbye.</speak>' }));
    const extraMs = ((paused.samples.length - plain.samples.length) / 16000) * 1000;
    expect(extraMs).toBeGreaterThan(1000);
    expect(extraMs).toBeLessThan(2000);
  });

  it('renders each text and voice once: a repeat and a concurrent request read the same audio', async () => {
    const cache = new TtsCache({ provider: await createEspeakTts() });
    const text = 'Your available balance is one hundred dollars.';
    const [a, b] = await Promise.all([collect(cache.speak({ text })), collect(cache.speak({ text }))]);
    const c = await collect(cache.speak({ text }));
    expect(b.samples).toEqual(a.samples);
    expect(c.samples).toEqual(a.samples);
    expect(cache.stats()).toMatchObject({ renders: 1, hits: 2, entries: 1 });
    await collect(cache.speak({ text, voice: 'en-gb' }));
    expect(cache.stats().renders).toBe(2);
  });

  it('gives 8 kHz audio for narrowband calls, converted once from the 16 kHz rendering', async () => {
    const cache = new TtsCache({ provider: await createEspeakTts() });
    const text = 'Thank you for calling.';
    const wide = await collect(cache.speak({ text }));
    const narrow = await collect(cache.speak({ text, sampleRateHz: 8000 }));
    await collect(cache.speak({ text, sampleRateHz: 8000 }));
    expect(Math.abs(narrow.samples.length * 2 - wide.samples.length)).toBeLessThanOrEqual(2);
    expect(cache.stats()).toMatchObject({ renders: 1, conversions: 1, entries: 2 });
  });

  it('streams: a long prompt arrives in many chunks, the first long before the last', async () => {
    const cache = new TtsCache({ provider: await createEspeakTts() });
    const text = Array.from({ length: 12 }, (_, i) => `This is sentence number ${i + 1} of a long legal notice.`).join(' ');
    const times: number[] = [];
    const t0 = performance.now();
    for await (const _ of cache.speak({ text })) times.push(performance.now() - t0);
    expect(times.length).toBeGreaterThan(5);
    expect(times[0]!).toBeLessThan(times[times.length - 1]!);
  });
});

describe('flite', () => {
  it('speaks sentence by sentence, keeping SSML pauses as silence', async () => {
    const cache = new TtsCache({ provider: createFliteTts() });
    const { samples, chunks } = await collect(cache.speak({ text: '<speak>Good morning. <break time="1s"/> Please hold.</speak>', voice: 'slt' }));
    expect(chunks).toBeGreaterThanOrEqual(3);
    // Somewhere in the middle there is a second of digital silence.
    let run = 0;
    let longest = 0;
    for (const s of samples) {
      run = s === 0 ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    expect(longest / 16000).toBeGreaterThanOrEqual(0.99);
    expect(createFliteTts().capabilities).toMatchObject({ streaming: true, ssml: false, languages: ['en-US', 'en-GB'] });
  });

  it('refuses a voice it does not have', async () => {
    const cache = new TtsCache({ provider: createFliteTts() });
    await expect(collect(cache.speak({ text: 'hello', voice: 'nobody' }))).rejects.toMatchObject({ code: 'PARLEY_ERR_SPEECH' });
  });
});

describe('a failing provider', () => {
  it('fails with PARLEY_ERR_SPEECH naming the missing program, and is tried again next time', async () => {
    const cache = new TtsCache({ provider: createFliteTts({ command: 'parley-no-such-tts' }) });
    const error: unknown = await collect(cache.speak({ text: 'hello' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParleyError);
    expect((error as ParleyError).message).toContain('parley-no-such-tts is not installed');
    await collect(cache.speak({ text: 'hello' })).catch(() => undefined);
    expect(cache.stats()).toMatchObject({ renders: 2, failures: 2, entries: 0 });
  });

  it('fails mid-prompt after some audio: readers get the audio, then the error', async () => {
    const provider: TtsProvider = {
      id: 'half',
      capabilities: { streaming: true, ssml: false, languages: ['en-US'], voices: [] },
      voiceFor: () => undefined,
      async *synthesize(): AsyncGenerator<PcmChunk> {
        yield { samples: new Int16Array(320).fill(1000), sampleRateHz: 16000 };
        await Promise.resolve();
        throw new ParleyError('PARLEY_ERR_SPEECH', 'broke');
      },
    };
    const got: number[] = [];
    const cache = new TtsCache({ provider });
    await expect(
      (async () => {
        for await (const c of cache.speak({ text: 'x' })) got.push(c.length);
      })(),
    ).rejects.toThrow('broke');
    expect(got).toEqual([320]);
  });
});
