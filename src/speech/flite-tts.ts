import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ParleyError } from '../errors.ts';
import { processOutput } from './child-process-output.ts';
import { sentences, speechSegments } from './ssml-text.ts';
import type { PcmChunk, TtsCapabilities, TtsProvider, TtsRequest, TtsVoice } from './tts-port.ts';
import { WavStreamReader } from './wav-stream-reader.ts';

/**
 * Text to speech with Debian's `flite` (English only). It renders a whole utterance before writing it (to a
 * file: it cannot write WAV to a socket), so the prompt is rendered sentence by sentence: the first sentence
 * plays while the next renders. SSML is reduced to text, with its pauses kept as silence.
 */
const VOICES: TtsVoice[] = [
  { id: 'slt', language: 'en-US', gender: 'female' },
  { id: 'rms', language: 'en-US', gender: 'male' },
  { id: 'awb', language: 'en-GB', gender: 'male' },
  { id: 'kal16', language: 'en-US', gender: 'male' },
  { id: 'kal', language: 'en-US', gender: 'male' },
];

export function createFliteTts(options: { command?: string } = {}): TtsProvider {
  const command = options.command ?? 'flite';
  const capabilities: TtsCapabilities = { streaming: true, ssml: false, languages: ['en-US', 'en-GB'], voices: VOICES };
  return {
    id: 'flite',
    capabilities,
    voiceFor: (language) => (language.toLowerCase().startsWith('en') ? (language.toLowerCase() === 'en-gb' ? 'awb' : 'slt') : undefined),
    async *synthesize(request: TtsRequest): AsyncGenerator<PcmChunk> {
      const voice = request.voice ?? 'slt';
      if (!VOICES.some((v) => v.id === voice)) throw new ParleyError('PARLEY_ERR_SPEECH', `flite has no voice '${voice}' (flite -lv lists them)`);
      let rate = 16000;
      for (const segment of speechSegments(request.text, request.ssml)) {
        if (segment.type === 'pause') {
          yield { samples: new Int16Array(Math.round((rate * segment.durationMs) / 1000)), sampleRateHz: rate };
          continue;
        }
        for (const sentence of sentences(segment.text)) {
          const reader = new WavStreamReader(command);
          const file = join(tmpdir(), `parley-flite-${randomBytes(8).toString('hex')}.wav`);
          // A leading space keeps a sentence that starts with '-' from being read as an option.
          const args = ['-voice', voice, '-o', file, '-t', ` ${sentence}`];
          try {
            for await (const _ of processOutput(command, args, request.signal ? { signal: request.signal } : {})) {
              // flite prints nothing on standard output; its audio is in the file
            }
            const samples = reader.push(await readFile(file));
            rate = reader.sampleRateHz ?? rate;
            if (samples.length > 0) yield { samples, sampleRateHz: rate };
          } finally {
            await rm(file, { force: true });
          }
        }
      }
    },
  };
}
