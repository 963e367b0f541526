/**
 * The text-to-speech port. A provider turns a prompt (plain text or SSML) into 16-bit mono PCM, chunk by
 * chunk as it renders, and declares what it can do. Providers are registered explicitly in the composition
 * root; callers go through `TtsCache` (tts-cache.ts), which renders each text and voice once.
 */

/** PCM, 16-bit signed, mono. */
export interface PcmChunk {
  samples: Int16Array;
  sampleRateHz: number;
}

export interface TtsVoice {
  id: string;
  /** BCP 47 language tag, e.g. `en-US`. */
  language: string;
  gender?: 'female' | 'male';
}

export interface TtsCapabilities {
  /** Audio comes out while the provider is still rendering (rather than whole at the end). */
  streaming: boolean;
  /** The provider reads SSML itself; otherwise SSML is reduced to text and pauses before it gets there. */
  ssml: boolean;
  /** BCP 47 tags of the languages it speaks. */
  languages: string[];
  voices: TtsVoice[];
}

export interface TtsRequest {
  /** Plain text, or an SSML document (`<speak>…</speak>`) when `ssml` is true and the provider reads SSML. */
  text: string;
  ssml: boolean;
  /** A voice id from `capabilities.voices`; the provider's default when absent. */
  voice?: string;
  signal?: AbortSignal;
}

export interface TtsProvider {
  readonly id: string;
  readonly capabilities: TtsCapabilities;
  /** The default voice for a language (`en`, `en-US`), or undefined when it speaks no such language. */
  voiceFor(language: string): string | undefined;
  /** Renders the request; the chunks come as they are made. Throws PARLEY_ERR_SPEECH when rendering fails. */
  synthesize(request: TtsRequest): AsyncIterable<PcmChunk>;
}
