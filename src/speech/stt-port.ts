import type { SpeechGrammar } from './speech-grammar.ts';

/**
 * The speech-to-text port. A recognition is a stream: the channel writes the caller's audio as it arrives
 * (from the start of speech, as voice activity detection found it) and finishes it at the end of speech;
 * the provider answers with the words and a confidence from 0 to 1. A provider that fails throws
 * PARLEY_ERR_SPEECH, and the channel takes the conversation to its error path.
 */

export interface SttCapabilities {
  /** Audio can be written while the caller speaks (rather than sent whole afterwards). */
  streaming: boolean;
  /** Partial results come before the final one. */
  interimResults: boolean;
  /** Grammars constrain what it recognises. */
  grammars: boolean;
  /** BCP 47 tags of the languages it recognises. */
  languages: string[];
  /** Sample rates it takes; audio at another rate is converted by the caller. */
  sampleRatesHz: number[];
}

export interface SttRequest {
  /** BCP 47 tag, e.g. `en-US`. */
  language: string;
  sampleRateHz: number;
  /** What the caller may say; absent for open dictation. */
  grammar?: SpeechGrammar;
  /** Called with partial results, for providers that have them. */
  onInterim?: (text: string) => void;
  signal?: AbortSignal;
}

export interface SttResult {
  /** The words recognised; empty when nothing matched. */
  text: string;
  /** 0–1 */
  confidence: number;
}

export interface SttStream {
  /** The caller's audio at the request's sample rate. */
  write(samples: Int16Array): void;
  /** End of speech: resolves with the result, rejects with PARLEY_ERR_SPEECH when the provider failed. */
  finish(): Promise<SttResult>;
  /** Drop the recognition (barge-in cancelled, caller hung up). */
  abort(): void;
}

export interface SttProvider {
  readonly id: string;
  readonly capabilities: SttCapabilities;
  start(request: SttRequest): SttStream;
}
