import { createPcmResampler, type PcmResampler } from './pcm-resampler.ts';
import { isSsml } from './ssml-text.ts';
import type { TtsProvider } from './tts-port.ts';

/**
 * Prompts through a TTS provider, each text and voice rendered once: the first request starts the
 * rendering and every request (the first, and any made meanwhile or later) reads the same audio as it
 * comes, at the cache's sample rate (16 kHz by default, what wideband calls play). A request at another
 * rate (8 kHz for G.711 calls) reads a copy converted once from that rendering, so a thousand calls do not
 * each resample the same greeting. Finished audio is kept, least recently used dropped first beyond
 * `maxBytes`. A failed rendering is not kept, so the next request tries again.
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
  /** Rate of the audio wanted; default the cache's. */
  sampleRateHz?: number;
  signal?: AbortSignal;
}

export interface TtsCacheStats {
  provider: string;
  entries: number;
  bytes: number;
  hits: number;
  renders: number;
  /** Renderings converted to another sample rate. */
  conversions: number;
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
  #conversions = 0;
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
    const rate = request.sampleRateHz ?? this.sampleRateHz;
    const key = `${rate}\u0000${request.voice ?? ''}\u0000${ssml ? 'ssml' : 'text'}\u0000${request.text}`;
    let entry = this.#entries.get(key);
    if (entry) {
      this.#hits++;
      this.#entries.delete(key);
      this.#entries.set(key, entry);
    } else {
      entry = { chunks: [], bytes: 0, done: false, wake: new Set() };
      this.#entries.set(key, entry);
      const voice = request.voice ? { voice: request.voice } : {};
      const source =
        rate === this.sampleRateHz
          ? this.#rendered({ text: request.text, ssml, ...voice })
          : this.#converted(this.speak({ text: request.text, ...voice }), rate);
      void this.#fill(key, entry, source);
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
      conversions: this.#conversions,
      failures: this.#failures,
      meanFirstAudioMs: this.#firstAudioCount ? this.#firstAudioTotalMs / this.#firstAudioCount : 0,
    };
  }

  /** The provider's audio at the cache's rate. */
  async *#rendered(request: { text: string; ssml: boolean; voice?: string }): AsyncGenerator<Int16Array> {
    this.#renders++;
    const started = this.#now();
    let first = true;
    let resampler: PcmResampler | undefined;
    for await (const chunk of this.provider.synthesize(request)) {
      if (!resampler || resampler.fromHz !== chunk.sampleRateHz) resampler = createPcmResampler(chunk.sampleRateHz, this.sampleRateHz);
      const samples = resampler.process(chunk.samples);
      if (samples.length === 0) continue;
      if (first) {
        first = false;
        this.#firstAudioTotalMs += this.#now() - started;
        this.#firstAudioCount++;
      }
      yield samples;
    }
  }

  /** Audio at the cache's rate converted to another, as it comes. */
  async *#converted(source: AsyncIterable<Int16Array>, rate: number): AsyncGenerator<Int16Array> {
    this.#conversions++;
    const resampler = createPcmResampler(this.sampleRateHz, rate);
    for await (const chunk of source) {
      const samples = resampler.process(chunk);
      if (samples.length > 0) yield samples;
    }
  }

  async #fill(key: string, entry: Entry, source: AsyncIterable<Int16Array>): Promise<void> {
    try {
      for await (const samples of source) {
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
