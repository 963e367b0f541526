import type { Frame } from '../frames.ts';
import type { Emit, FrameProcessor } from '../processor.ts';
import { EnergyVad, type VadEvent, type VadOptions } from './energy-vad.ts';

/** What barge-in needs to know of the outgoing audio (an AudioOutQueue fits). */
export interface InterruptibleOutput {
  readonly playing: boolean;
  /** May what is playing now be interrupted (the prompt's bargein setting)? */
  readonly bargeable: boolean;
  interrupt(reason: 'speech' | 'dtmf'): void;
}

export interface BargeInOptions {
  vad?: VadOptions;
  /** Does a key press interrupt a prompt too (VoiceXML does)? Default true. */
  dtmf?: boolean;
  /** Speech start/stop, for endpointing and metrics. */
  onSpeech?: (event: VadEvent) => void;
}

/**
 * Sits on the caller's (inbound) audio: when the caller starts speaking, or presses a key, while an
 * interruptible prompt plays, it flushes the outgoing audio and emits an interrupt frame downstream
 * (ahead of the key's DTMF frame) so the dialog side learns of it. All frames pass through.
 */
export class BargeInDetector implements FrameProcessor {
  readonly #output: InterruptibleOutput;
  readonly #vad: EnergyVad;
  readonly #dtmf: boolean;
  readonly #onSpeech: ((event: VadEvent) => void) | undefined;

  constructor(output: InterruptibleOutput, options: BargeInOptions = {}) {
    this.#output = output;
    this.#vad = new EnergyVad(options.vad);
    this.#dtmf = options.dtmf ?? true;
    this.#onSpeech = options.onSpeech;
  }

  get speaking(): boolean {
    return this.#vad.speaking;
  }

  process(frame: Frame, emit: Emit): void {
    if (frame.type === 'audio') {
      const events = this.#vad.process(frame.samples, frame.sampleRateHz);
      for (let i = 0; i < events.length; i++) {
        const event = events[i] as VadEvent;
        this.#onSpeech?.(event);
        if (event.type === 'speech-start') this.#maybeInterrupt('speech', emit);
      }
    } else if (frame.type === 'dtmf' && this.#dtmf) {
      this.#maybeInterrupt('dtmf', emit);
    }
    emit(frame);
  }

  #maybeInterrupt(reason: 'speech' | 'dtmf', emit: Emit): void {
    if (!this.#output.playing || !this.#output.bargeable) return;
    this.#output.interrupt(reason);
    emit({ type: 'interrupt', reason });
  }
}
