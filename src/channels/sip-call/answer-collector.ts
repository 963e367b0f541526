import type { SttStream } from '../../speech/stt-port.ts';
import type { VadEvent } from '../../voice/barge-in/energy-vad.ts';
import type { Clock } from '../../voice/clock.ts';
import { createResampler, type Resampler } from '../../voice/codecs/resampler.ts';
import type { DtmfDigit } from '../../voice/frames.ts';
import { runKeypadCollector, type KeypadOutcome } from '../../voice/keypad-collector.ts';
import { PreRoll } from './pre-roll.ts';
import type { AskSettings } from './voice-settings.ts';

/**
 * Collects the caller's answer to one question, by keypad or by voice, whichever the caller starts with:
 *
 * - while the prompts play, input counts only if the question allows barge-in (the media layer has then
 *   already cut the prompt); otherwise it is ignored;
 * - once the prompts are over, `timeout` runs: nothing by then is a no-input;
 * - a key starts the keypad collector (VoiceXML Appendix D: interdigittimeout, termchar, min and max digits);
 * - the start of speech (voice activity) starts a recognition, fed with the audio from a little before the
 *   start; the end of speech, `maxspeechtimeout`, or the audio stopping ends it. No words is a no-match.
 *
 * Audio reaches the recogniser at 16 kHz whatever the codec's rate.
 */

export type Answer =
  | { type: 'digits'; digits: string }
  | { type: 'speech'; text: string; confidence: number }
  | { type: 'noInput' }
  | { type: 'noMatch'; why: 'too-few' | 'too-many' | 'invalid-key' | 'no-words' }
  | { type: 'error'; error: unknown }
  | { type: 'cancelled' };

export interface AnswerCollectorOptions {
  clock: Clock;
  settings: AskSettings;
  /** Starts a recognition at 16 kHz; absent when speech is not taken (no recogniser, or keys only). */
  recognise?: () => SttStream;
  /** Sample rate of the caller's audio frames. */
  inboundRateHz: number;
  /** Audio kept from before the start of speech; default 300 ms. */
  preRollMs?: number;
  /** While speaking, no audio at all for this long ends the speech (a peer that stops sending); default 700 ms. */
  audioGapMs?: number;
}

type Phase = 'prompting' | 'waiting' | 'keys' | 'speech' | 'done';

export const STT_RATE_HZ = 16000;

export class AnswerCollector {
  readonly answer: Promise<Answer>;
  #resolve!: (answer: Answer) => void;
  #phase: Phase = 'prompting';
  readonly #options: AnswerCollectorOptions;
  readonly #resampler: Resampler;
  readonly #preRoll: PreRoll;
  /** One packet at 16 kHz on its way into the pre-roll (kept: a new array per packet is what the collector avoids). */
  #wide = new Int16Array(0);
  #cancelTimer: (() => void) | undefined;
  #cancelGap: (() => void) | undefined;
  #keypad: ReturnType<typeof runKeypadCollector> | undefined;
  #stream: SttStream | undefined;
  #settled = false;

  constructor(options: AnswerCollectorOptions) {
    this.#options = options;
    this.#resampler = createResampler(options.inboundRateHz, STT_RATE_HZ);
    this.#preRoll = new PreRoll((STT_RATE_HZ * (options.preRollMs ?? 300)) / 1000);
    this.answer = new Promise((resolve) => (this.#resolve = resolve));
  }

  get phase(): Phase {
    return this.#phase;
  }

  /** May input be taken now? */
  get accepting(): boolean {
    return this.#phase !== 'done' && (this.#phase !== 'prompting' || this.#options.settings.bargein);
  }

  /** The prompts have played (or were cut, or there were none): the no-input timer starts. */
  promptsDone(): void {
    if (this.#phase !== 'prompting') return;
    this.#phase = 'waiting';
    this.#timer(this.#options.settings.timeoutMs, () => this.#finish({ type: 'noInput' }));
  }

  /** A key press from the caller. */
  key(digit: DtmfDigit): void {
    if (!this.accepting || this.#phase === 'speech' || !this.#options.settings.keypad) return;
    if (!this.#keypad) {
      this.#clearTimer();
      this.#phase = 'keys';
      this.#keypad = runKeypadCollector(this.#options.clock, this.#options.settings.keypad, (outcome) => this.#keysDone(outcome));
    }
    this.#keypad.pushDigit(digit);
  }

  /** The caller's audio, at `inboundRateHz`. */
  audio(samples: Int16Array): void {
    if (this.#phase === 'done') return;
    if (this.#phase === 'speech') {
      // The recogniser may keep what it is given: a new array each time.
      this.#stream?.write(this.#resampler.process(samples));
      this.#armGap();
      return;
    }
    const count = this.#resampler.outputLength(samples.length);
    if (this.#wide.length < count) this.#wide = new Int16Array(count);
    this.#resampler.processInto(samples, this.#wide);
    this.#preRoll.push(this.#wide, count);
  }

  /** Voice activity: the start or the end of the caller's speech. */
  speech(event: VadEvent): void {
    if (event.type === 'speech-stop') {
      if (this.#phase === 'speech') this.#endSpeech();
      return;
    }
    if (!this.accepting || this.#phase === 'keys' || this.#phase === 'speech' || !this.#options.recognise || !this.#options.settings.speech) return;
    let stream: SttStream;
    try {
      stream = this.#options.recognise();
    } catch (error) {
      return this.#finish({ type: 'error', error });
    }
    this.#clearTimer();
    this.#phase = 'speech';
    this.#stream = stream;
    if (this.#preRoll.length > 0) stream.write(this.#preRoll.take());
    this.#timer(this.#options.settings.maxSpeechMs, () => this.#endSpeech());
    this.#armGap();
  }

  /** The question cannot be asked (its prompt could not be rendered): the answer is that error. */
  fail(error: unknown): void {
    this.#stream?.abort();
    this.#finish({ type: 'error', error });
  }

  /** Stop without an answer (the caller hung up). */
  cancel(): void {
    this.#stream?.abort();
    this.#finish({ type: 'cancelled' });
  }

  #endSpeech(): void {
    const stream = this.#stream;
    if (!stream || this.#phase !== 'speech') return;
    this.#phase = 'done';
    this.#clearTimer();
    this.#cancelGap?.();
    stream.finish().then(
      (result) => this.#settle(result.text.trim() ? { type: 'speech', text: result.text.trim(), confidence: result.confidence } : { type: 'noMatch', why: 'no-words' }),
      (error: unknown) => this.#settle({ type: 'error', error }),
    );
  }

  #keysDone(outcome: KeypadOutcome): void {
    if (outcome.type === 'complete') this.#finish({ type: 'digits', digits: outcome.digits });
    else if (outcome.type === 'noinput') this.#finish({ type: 'noInput' });
    else this.#finish({ type: 'noMatch', why: outcome.why });
  }

  #armGap(): void {
    this.#cancelGap?.();
    this.#cancelGap = this.#options.clock.setTimer(this.#options.audioGapMs ?? 700, () => this.#endSpeech());
  }

  #timer(ms: number, fn: () => void): void {
    this.#clearTimer();
    this.#cancelTimer = this.#options.clock.setTimer(ms, fn);
  }

  #clearTimer(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
  }

  #finish(answer: Answer): void {
    this.#phase = 'done';
    this.#settle(answer);
  }

  #settle(answer: Answer): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#clearTimer();
    this.#cancelGap?.();
    this.#keypad?.cancel();
    this.#resolve(answer);
  }
}
