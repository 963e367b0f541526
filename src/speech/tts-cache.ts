import { createPcmResampler, type PcmResampler } from './pcm-resampler.ts';
import { isSsml } from './ssml-text.ts';
import type { TtsProvider } from './tts-port.ts';

/**
 * Prompts through a TTS provider, each text and voice rendered once: the first request starts the
 * rendering and every request (the first, and any made meanwhile or later) reads the same audio as it
 * comes, at one sample rate (16 kHz by default, what wideband calls play; the call's codec takes it from
 * there). Finished renderings are kept, least recently used dropped first beyond `maxBytes`. A failed
 * rendering is not kept, so the next request tries again.
 */

export interface TtsCacheOptions {
  provider: TtsProvider;
  sampleRateHz?: number;
  /** Audio kept, in bytes of PCM; default 32 MiB. */
  maxBytes?: number;
  now?: () => number;
}

export interface SpeakRequest {
  /** Plain text, or SSML (`<speak>…</speak>`, recognised by its root element). */
  text: string;
  voice?: string;
  signal?: AbortSignal;
}

export interface TtsCacheStats {
  provider: string;
  entries: number;
  bytes: number;
  hits: number;
  renders: number;
  failures: number;
  /** Mean time from the start of a rendering to its first audio. */
  meanFirstAudioMs: number;
}

interface Entry {
  chunks: Int16Array[];
  bytes: number;
  done: boolean;
  error?: Error;
  wake: Set<() => void>;
}

export class TtsCache {
  readonly provider: TtsProvider;
  readonly sampleRateHz: number;
  readonly #maxBytes: number;
  readonly #now: () => number;
  /** Insertion order is recency order (a hit moves its entry to the end). */
  readonly #entries = new Map<string, Entry>();
  #bytes = 0;
  #hits = 0;
  #renders = 0;
  #failures = 0;
  #firstAudioTotalMs = 0;
  #firstAudioCount = 0;

  constructor(options: TtsCacheOptions) {
    this.provider = options.provider;
    this.sampleRateHz = options.sampleRateHz ?? 16000;
    this.#maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
    this.#now = options.now ?? (() => performance.now());
  }

  /** The prompt's audio at `sampleRateHz`, chunk by chunk as it renders. Throws PARLEY_ERR_SPEECH when rendering fails. */
  speak(request: SpeakRequest): AsyncIterable<Int16Array> {
    const ssml = isSsml(request.text);
    const key = `${request.voice ?? ''}\u0000${ssml ? 'ssml' : 'text'}\u0000${request.text}`;
    let entry = this.#entries.get(key);
    if (entry) {
      this.#hits++;
      this.#entries.delete(key);
      this.#entries.set(key, entry);
    } else {
      entry = { chunks: [], bytes: 0, done: false, wake: new Set() };
      this.#entries.set(key, entry);
      void this.#render(key, entry, { text: request.text, ssml, ...(request.voice ? { voice: request.voice } : {}) });
    }
    return read(entry, request.signal);
  }

  stats(): TtsCacheStats {
    return {
      provider: this.provider.id,
      entries: this.#entries.size,
      bytes: this.#bytes,
      hits: this.#hits,
      renders: this.#renders,
      failures: this.#failures,
      meanFirstAudioMs: this.#firstAudioCount ? this.#firstAudioTotalMs / this.#firstAudioCount : 0,
    };
  }

  async #render(key: string, entry: Entry, request: { text: string; ssml: boolean; voice?: string }): Promise<void> {
    this.#renders++;
    const started = this.#now();
    let resampler: PcmResampler | undefined;
    try {
      for await (const chunk of this.provider.synthesize(request)) {
        if (!resampler || resampler.fromHz !== chunk.sampleRateHz) resampler = createPcmResampler(chunk.sampleRateHz, this.sampleRateHz);
        const samples = resampler.process(chunk.samples);
        if (samples.length === 0) continue;
        if (entry.chunks.length === 0) {
          this.#firstAudioTotalMs += this.#now() - started;
          this.#firstAudioCount++;
        }
        entry.chunks.push(samples);
        entry.bytes += samples.byteLength;
        if (this.#entries.get(key) === entry) this.#bytes += samples.byteLength;
        wakeAll(entry);
      }
      entry.done = true;
      this.#evict();
    } catch (error) {
      this.#failures++;
      entry.error = error instanceof Error ? error : new Error(String(error));
      if (this.#entries.get(key) === entry) {
        this.#entries.delete(key);
        this.#bytes -= entry.bytes;
      }
    }
    wakeAll(entry);
  }

  #evict(): void {
    for (const [key, entry] of this.#entries) {
      if (this.#bytes <= this.#maxBytes) return;
      if (!entry.done) continue;
      this.#entries.delete(key);
      this.#bytes -= entry.bytes;
    }
  }
}

function wakeAll(entry: Entry): void {
  for (const wake of [...entry.wake]) wake();
}

async function* read(entry: Entry, signal?: AbortSignal): AsyncGenerator<Int16Array> {
  let i = 0;
  for (;;) {
    if (signal?.aborted) return;
    const chunk = entry.chunks[i];
    if (chunk) {
      i++;
      yield chunk;
      continue;
    }
    if (entry.error !== undefined) throw entry.error;
    if (entry.done) return;
    await new Promise<void>((resolve) => {
      const wake = (): void => {
        entry.wake.delete(wake);
        signal?.removeEventListener('abort', wake);
        resolve();
      };
      entry.wake.add(wake);
      signal?.addEventListener('abort', wake, { once: true });
    });
  }
}
