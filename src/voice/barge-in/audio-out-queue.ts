import { createResampler, type Resampler } from '../codecs/resampler.ts';
import type { Frame } from '../frames.ts';
import type { Emit, FrameProcessor } from '../processor.ts';

/**
 * The audio waiting to be sent to the caller. Audio frames are queued (converted to the queue's
 * sample rate), the packet clock reads them out in packet-sized pieces, and an interrupt frame
 * flushes everything at once: that is barge-in. Other frames pass through.
 *
 * Playout events: 'started' when the first queued sample goes out after silence, 'finished' when the
 * queue ran dry, 'interrupted' when it was flushed while playing.
 */

export type PlayoutEvent =
  { type: 'started' } | { type: 'finished' } | { type: 'interrupted'; reason: 'speech' | 'dtmf' | 'request' };

const STARTED: PlayoutEvent = Object.freeze({ type: 'started' });
const FINISHED: PlayoutEvent = Object.freeze({ type: 'finished' });

interface Segment {
  samples: Int16Array;
  offset: number;
  bargein: boolean;
}

export class AudioOutQueue implements FrameProcessor {
  readonly sampleRateHz: number;
  readonly #segments: Segment[] = [];
  readonly #resamplers = new Map<number, Resampler>();
  readonly #listeners = new Set<(event: PlayoutEvent) => void>();
  #playing = false;
  #queuedSamples = 0;

  constructor(sampleRateHz: number) {
    this.sampleRateHz = sampleRateHz;
  }

  process(frame: Frame, emit: Emit): void {
    if (frame.type === 'audio') {
      this.enqueue(frame.samples, frame.sampleRateHz, frame.bargein ?? true);
      return;
    }
    if (frame.type === 'interrupt') this.interrupt(frame.reason);
    emit(frame);
  }

  enqueue(samples: Int16Array, sampleRateHz: number, bargein = true): void {
    let converted = samples;
    if (sampleRateHz !== this.sampleRateHz) {
      let resampler = this.#resamplers.get(sampleRateHz);
      if (!resampler) {
        resampler = createResampler(sampleRateHz, this.sampleRateHz);
        this.#resamplers.set(sampleRateHz, resampler);
      }
      converted = resampler.process(samples);
    }
    if (converted.length === 0) return;
    this.#segments.push({ samples: converted, offset: 0, bargein });
    this.#queuedSamples += converted.length;
  }

  /**
   * The next `count` samples, padded with silence at the end of the queue; undefined when nothing
   * is queued.
   */
  read(count: number): Int16Array | undefined {
    const out = new Int16Array(count);
    return this.readInto(out) ? out : undefined;
  }

  /**
   * Fill `out` with the next samples, padded with silence at the end of the queue; false (and `out`
   * untouched) when nothing is queued. The packet clock reads this way into a buffer it keeps.
   */
  readInto(out: Int16Array): boolean {
    if (this.#segments.length === 0) return false;
    if (!this.#playing) {
      this.#playing = true;
      this.#notify(STARTED);
    }
    const count = out.length;
    let filled = 0;
    while (filled < count && this.#segments.length > 0) {
      const head = this.#segments[0] as Segment;
      const take = Math.min(count - filled, head.samples.length - head.offset);
      const samples = head.samples;
      const from = head.offset;
      for (let i = 0; i < take; i++) out[filled + i] = samples[from + i] as number;
      head.offset += take;
      filled += take;
      this.#queuedSamples -= take;
      if (head.offset >= head.samples.length) this.#segments.shift();
    }
    if (filled < count) out.fill(0, filled);
    if (this.#segments.length === 0) {
      this.#playing = false;
      this.#notify(FINISHED);
    }
    return true;
  }

  /** Drop everything queued. */
  interrupt(reason: 'speech' | 'dtmf' | 'request' = 'request'): void {
    const wasPlaying = this.#playing || this.#segments.length > 0;
    this.#segments.length = 0;
    this.#queuedSamples = 0;
    this.#resamplers.clear(); // their filter history belongs to the audio just dropped
    this.#playing = false;
    if (wasPlaying) this.#notify({ type: 'interrupted', reason });
  }

  /** Is audio queued or going out? */
  get playing(): boolean {
    return this.#segments.length > 0;
  }

  /** May the audio going out now be interrupted by the caller? */
  get bargeable(): boolean {
    return this.#segments[0]?.bargein ?? false;
  }

  get queuedMs(): number {
    return (this.#queuedSamples * 1000) / this.sampleRateHz;
  }

  onPlayout(listener: (event: PlayoutEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #notify(event: PlayoutEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}
