/**
 * Black-box: baresip (Debian), headless, calls the demo bank bot over G.722 and says a request rendered by
 * flite; the bot recognises it (pocketsphinx) and answers; baresip's recording of the call holds the
 * answer's audio, as a recogniser reading the recording confirms.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../apps/logger.ts';
import { demoBotsDir } from '../../apps/server/config.ts';
import { resolveSipConfig } from '../../apps/server/sip-config.ts';
import { startServer, type RunningServer } from '../../apps/server/start.ts';
import { createFliteTts } from '../../speech/flite-tts.ts';
import { createPocketsphinxStt } from '../../speech/pocketsphinx-stt.ts';
import { TtsCache } from '../../speech/tts-cache.ts';
import { WavStreamReader } from '../../speech/wav-stream-reader.ts';
import { dialWithBaresip, writeWav } from '../../../test/sip-call/baresip.ts';
import { freeUdpPort } from '../../../test/sip/sipp.ts';

let dir: string;
let server: RunningServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-baresip-'));
  server = await startServer(
    { port: 0, host: '127.0.0.1', dataDir: dir, botsDir: demoBotsDir, apiKey: 'test-key-0123456789', logLevel: 'warn', sip: { ...resolveSipConfig('0', { PARLEY_TTS: 'flite' })!, drainTimeoutMs: 2000 } },
    { logger: createLogger({ level: 'warn' }), print: () => undefined },
  );
}, 120_000);

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function transcribe(wavFile: string): Promise<string> {
  const stt = createPocketsphinxStt();
  const reader = new WavStreamReader('recording');
  const samples = reader.push(readFileSync(wavFile));
  expect(reader.sampleRateHz).toBe(16000);
  const stream = stt.start({ language: 'en-US', sampleRateHz: 16000 });
  stream.write(samples);
  const { text } = await stream.finish();
  stt.close();
  return text;
}

describe('baresip calls the demo bank bot', () => {
  it('says a request over G.722; the bot recognises it and answers, and the answer is in the recording', async () => {
    const parts: Int16Array[] = [];
    for await (const chunk of new TtsCache({ provider: createFliteTts() }).speak({ text: 'I want to check my balance.', voice: 'slt' })) parts.push(chunk);
    const speech = Int16Array.from(parts.flatMap((p) => [...p]));
    // A second of quiet, the request, then quiet while the bot answers (baresip hangs up when its file ends).
    const source = new Int16Array(16000 + speech.length + 16000 * 25);
    source.set(speech, 16000);
    writeWav(join(dir, 'request.wav'), source, 16000);

    const udp = server.sip!.bindings.find((b) => b.protocol === 'udp')!.port;
    const rtpPortMin = 30000 + 2 * Math.floor(Math.random() * 4000);
    const call = dialWithBaresip(`sip:bank@127.0.0.1:${udp}`, { dir, source: join(dir, 'request.wav'), sipPort: await freeUdpPort(), rtpPortMin, codec: 'G722', maxSeconds: 40 });
    try {
      const conversationId = await until('the call', () => server.sip!.calls.active()[0]?.conversationId, 10_000);
      const answer = await until(
        'the bot to answer the request',
        async () => {
          const turns = await server.storage.conversations.turns(conversationId);
          const asked = turns.findIndex((t) => t.speaker === 'customer' && t.intent !== null);
          return asked >= 0 && turns.slice(asked + 1).some((t) => t.speaker === 'bot') ? turns.slice(asked) : undefined;
        },
        25_000,
      );
      expect(answer[0]).toMatchObject({ speaker: 'customer', intent: 'check_balance' });
      expect(answer[0]!.text).toMatch(/check my balance/);
      expect(answer[1]).toMatchObject({ speaker: 'bot', text: 'What is your 8-digit account number?' });
      // Let the spoken question ("Please say or key in your 8-digit account number, then press pound.") play out.
      await new Promise((resolve) => setTimeout(resolve, 6000));
    } finally {
      await call.hangUp();
    }
    const ended = await until('the call to end', () => server.sip!.calls.recent()[0], 5000);
    expect(ended).toMatchObject({ botId: 'bank', endReason: 'caller-hangup', media: { codec: 'G722', packetsLost: 0 } });
    const conversation = await server.storage.conversations.get(ended.conversationId!);
    expect(conversation).toMatchObject({ status: 'ended', channel: 'voice' });

    const recording = call.recording();
    expect(recording, call.output()).toBeDefined();
    const heard = (await transcribe(recording!)).split(' ');
    const prompt = ['please', 'say', 'key', 'your', 'eight', 'digit', 'account', 'number', 'then', 'press', 'pound'];
    expect(prompt.filter((w) => heard.includes(w)).length, heard.join(' ')).toBeGreaterThanOrEqual(4);
  }, 90_000);
});
