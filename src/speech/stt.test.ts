/**
 * pocketsphinx against speech rendered by flite (16 kHz): what a grammar lets through, the confidence of
 * what it should not, spoken digits, and a recogniser that cannot run.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBotFolder } from '../bot/load.ts';
import type { Bot } from '../core/bot.ts';
import { createFliteTts } from './flite-tts.ts';
import { createPocketsphinxStt } from './pocketsphinx-stt.ts';
import { speechGrammarFor, type SpeechGrammar } from './speech-grammar.ts';
import { digitsFromWords } from './spoken-digits.ts';
import { TtsCache } from './tts-cache.ts';

const tts = new TtsCache({ provider: createFliteTts() });
const stt = createPocketsphinxStt();
let bot: Bot;

beforeAll(async () => {
  bot = await loadBotFolder(fileURLToPath(new URL('../../examples/bank', import.meta.url)));
});

afterAll(() => stt.close());

async function recognise(text: string, grammar: SpeechGrammar | undefined, chunkMs = 20): Promise<{ text: string; confidence: number }> {
  const stream = stt.start({ language: 'en-US', sampleRateHz: 16000, ...(grammar ? { grammar } : {}) });
  const silence = new Int16Array(16000 * 0.3);
  stream.write(silence);
  // Written in packet-sized pieces, as a call delivers it.
  for await (const chunk of tts.speak({ text, voice: 'slt' })) {
    for (let i = 0; i < chunk.length; i += (16000 * chunkMs) / 1000) stream.write(chunk.subarray(i, i + (16000 * chunkMs) / 1000));
  }
  stream.write(silence);
  return stream.finish();
}

describe('pocketsphinx', () => {
  it('declares what it can do', () => {
    expect(stt.capabilities).toEqual({ streaming: true, interimResults: false, grammars: true, languages: ['en-US'], sampleRatesHz: [16000] });
  });

  it("recognises a request held to the bot's intents, with a high confidence", async () => {
    const grammar = speechGrammarFor({ expect: { kind: 'intent' }, intents: bot.intents });
    const r = await recognise('I want to make a payment', grammar);
    expect(r.text).toBe('i want to make a payment');
    expect(r.confidence).toBeGreaterThan(0.6);
  });

  it('hears a request wrapped in words of its own around a phrase of the grammar', async () => {
    const grammar = speechGrammarFor({ expect: { kind: 'intent' }, intents: bot.intents });
    const r = await recognise('I would like to check my balance please', grammar);
    expect(r.text).toMatch(/^i would like to check my balance\b/);
    expect(r.confidence).toBeGreaterThan(0.6);
  });

  it('gives a low confidence to words the grammar does not hold, whatever phrase it forced them into', async () => {
    const grammar = speechGrammarFor({ expect: { kind: 'intent' }, intents: bot.intents });
    const r = await recognise('The weather is lovely in Paris today', grammar);
    expect(r.confidence).toBeLessThan(0.5);
  });

  it('hears a digression to another request at a digits question', async () => {
    const pin = bot.entities.pin!;
    const r = await recognise('talk to an agent', speechGrammarFor({ expect: { kind: 'entity', entity: pin }, intents: bot.intents }));
    expect(r.text).toMatch(/^talk to an agent\b/);
  });

  it('hears spoken digits with a digits grammar', async () => {
    const r = await recognise('one two three four', { phrases: [], digits: { minDigits: 4, maxDigits: 4 } });
    expect(digitsFromWords(r.text)).toBe('1234');
    expect(r.confidence).toBeGreaterThan(0.5);
  });

  it('returns nothing with no confidence for silence', async () => {
    const stream = stt.start({ language: 'en-US', sampleRateHz: 16000, grammar: { phrases: ['yes', 'no'] } });
    stream.write(new Int16Array(16000));
    await expect(stream.finish()).resolves.toEqual({ text: '', confidence: 0 });
  });

  it('refuses 8 kHz audio and languages it has no model for', () => {
    expect(() => stt.start({ language: 'en-US', sampleRateHz: 8000 })).toThrow(/16000 Hz/);
    expect(() => stt.start({ language: 'fr-FR', sampleRateHz: 16000 })).toThrow(/en-US only/);
  });

  it('fails with PARLEY_ERR_SPEECH when the recogniser is missing', async () => {
    const broken = createPocketsphinxStt({ command: 'parley-no-such-stt' });
    const stream = broken.start({ language: 'en-US', sampleRateHz: 16000 });
    stream.write(new Int16Array(1600));
    await expect(stream.finish()).rejects.toMatchObject({ code: 'PARLEY_ERR_SPEECH', message: expect.stringContaining('not installed') });
  });

  it('fails with PARLEY_ERR_SPEECH when the model is missing', async () => {
    const broken = createPocketsphinxStt({ modelDir: '/nonexistent' });
    const stream = broken.start({ language: 'en-US', sampleRateHz: 16000 });
    stream.write(new Int16Array(1600));
    await expect(stream.finish()).rejects.toMatchObject({ code: 'PARLEY_ERR_SPEECH' });
  });
});
