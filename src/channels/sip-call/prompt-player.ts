import type { TtsCache } from '../../speech/tts-cache.ts';
import type { CallMedia } from './call-media.ts';

/**
 * Plays prompts to the caller: each prompt's audio goes to the call as the TTS renders it (the first words
 * play while the rest renders), marked interruptible or not. Resolves when everything has played, when the
 * caller barged in (the media layer flushed the audio), or when `signal` aborts (the caller hung up).
 * Rendering failures reject with the provider's PARLEY_ERR_SPEECH after what rendered has played.
 */

export type PlayOutcome = 'played' | 'interrupted' | 'aborted';

export interface PlayOptions {
  bargein: boolean;
  voice?: string;
  signal: AbortSignal;
  /** Called once the first audio of the batch is queued. */
  onAudio?: () => void;
}

export async function playPrompts(media: CallMedia, tts: TtsCache, texts: readonly string[], options: PlayOptions): Promise<PlayOutcome> {
  let interrupted = false;
  let wake: (() => void) | undefined;
  const poke = (): void => {
    wake?.();
    wake = undefined;
  };
  const stopPlayout = media.onPlayout((event) => {
    if (event.type === 'interrupted') interrupted = true;
    poke();
  });
  options.signal.addEventListener('abort', poke);
  const stopped = (): boolean => interrupted || options.signal.aborted;
  let queued = false;
  let failure: Error | undefined;
  try {
    for (const text of texts) {
      if (stopped()) break;
      try {
        // At the call's own rate (8 kHz for G.711), converted once in the cache rather than per call.
        const sampleRateHz = media.media.codec.sampleRateHz;
        for await (const samples of tts.speak({ text, ...(options.voice ? { voice: options.voice } : {}), sampleRateHz, signal: options.signal })) {
          if (stopped()) break;
          media.push({ type: 'audio', samples, sampleRateHz, timestampMs: 0, bargein: options.bargein });
          if (!queued) {
            queued = true;
            options.onAudio?.();
          }
        }
      } catch (error) {
        failure = error instanceof Error ? error : new Error(String(error));
        break;
      }
    }
    // Everything is queued (or the rest failed): wait for the queue to run dry.
    while (!stopped() && media.playing) await new Promise<void>((resolve) => (wake = resolve));
  } finally {
    stopPlayout();
    options.signal.removeEventListener('abort', poke);
  }
  if (failure && !stopped()) throw failure;
  return options.signal.aborted ? 'aborted' : interrupted ? 'interrupted' : 'played';
}
