import { ParleyError } from '../errors.ts';
import { processOutput } from './child-process-output.ts';
import type { PcmChunk, TtsCapabilities, TtsProvider, TtsRequest, TtsVoice } from './tts-port.ts';
import { WavStreamReader } from './wav-stream-reader.ts';

/**
 * Text to speech with Debian's `espeak-ng`: it reads SSML itself (`-m`), speaks about a hundred languages,
 * and writes its audio (22 050 Hz) while it renders, so a prompt starts playing within milliseconds.
 */
export async function createEspeakTts(options: { command?: string } = {}): Promise<TtsProvider> {
  const command = options.command ?? 'espeak-ng';
  let listing = '';
  for await (const chunk of processOutput(command, ['--voices'], { timeoutMs: 10_000 })) listing += chunk.toString();
  const voices = parseVoiceListing(listing);
  if (voices.length === 0) throw new ParleyError('PARLEY_ERR_SPEECH', `${command} lists no voices`);
  const ids = new Set(voices.map((v) => v.id));
  const capabilities: TtsCapabilities = { streaming: true, ssml: true, languages: [...new Set(voices.map((v) => v.language))], voices };
  return {
    id: 'espeak-ng',
    capabilities,
    voiceFor(language) {
      const wanted = language.toLowerCase();
      const base = wanted.split('-')[0]!;
      const preferred = base === 'en' && wanted === 'en' ? 'en-us' : wanted;
      if (ids.has(preferred)) return preferred;
      return voices.find((v) => v.language.toLowerCase() === wanted)?.id ?? voices.find((v) => v.language.toLowerCase().split('-')[0] === base)?.id;
    },
    async *synthesize(request: TtsRequest): AsyncGenerator<PcmChunk> {
      const voice = request.voice ?? 'en-us';
      if (!ids.has(voice)) throw new ParleyError('PARLEY_ERR_SPEECH', `espeak-ng has no voice '${voice}' (espeak-ng --voices lists them)`);
      const args = ['--stdout', '-v', voice, ...(request.ssml ? ['-m'] : [])];
      const reader = new WavStreamReader(command);
      // The text goes in on standard input, so that a prompt starting with '-' is not taken for an option.
      for await (const bytes of processOutput(command, args, { input: request.text, ...(request.signal ? { signal: request.signal } : {}) })) {
        const samples = reader.push(bytes);
        if (samples.length > 0) yield { samples, sampleRateHz: reader.sampleRateHz! };
      }
    },
  };
}

/** `espeak-ng --voices`: `Pty Language Age/Gender VoiceName File Other-languages`; the language is the id. */
export function parseVoiceListing(listing: string): TtsVoice[] {
  const voices = new Map<string, TtsVoice>();
  for (const line of listing.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    const [, language, ageGender, , file] = cols;
    if (!language || !ageGender || !file || file.startsWith('mb/')) continue;
    if (voices.has(language)) continue;
    const g = ageGender.split('/')[1];
    voices.set(language, { id: language, language: bcp47(language), ...(g === 'F' ? { gender: 'female' as const } : g === 'M' ? { gender: 'male' as const } : {}) });
  }
  return [...voices.values()];
}

function bcp47(tag: string): string {
  const [lang, region, ...rest] = tag.split('-');
  return [lang, ...(region && region.length === 2 ? [region.toUpperCase()] : region ? [region] : []), ...rest].join('-');
}
