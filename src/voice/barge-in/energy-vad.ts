import { levelDbfs } from '../signal.ts';

/**
 * Energy-based voice activity detection in 10 ms windows. A window is active when its level is
 * above `thresholdDbfs` and `marginDb` above the noise floor (tracked while nobody speaks). Speech
 * starts after `startMs` of consecutive active windows and stops after `hangoverMs` without any,
 * so the short pauses inside an utterance do not end it. The first 150 ms calibrate the floor
 * (it jumps up to the level heard), so a line that starts noisy is not taken for speech.
 */

export interface VadOptions {
  thresholdDbfs?: number;
  marginDb?: number;
  startMs?: number;
  hangoverMs?: number;
}

export type VadEvent = {
  type: 'speech-start' | 'speech-stop';
  /** media time of the window that decided it */ atMs: number;
};

const WINDOW_MS = 10;
const NO_EVENTS: readonly VadEvent[] = Object.freeze([]);
const CALIBRATION_WINDOWS = 15;

export class EnergyVad {
  readonly #thresholdDbfs: number;
  readonly #marginDb: number;
  readonly #startWindows: number;
  readonly #hangoverWindows: number;
  #noiseFloorDbfs = -70;
  #speaking = false;
  #activeRun = 0;
  #quietRun = 0;
  #window: Int16Array = new Int16Array(0);
  #filled = 0;
  #sampleRateHz = 0;
  #windowsSeen = 0;

  constructor(options: VadOptions = {}) {
    this.#thresholdDbfs = options.thresholdDbfs ?? -40;
    this.#marginDb = options.marginDb ?? 12;
    this.#startWindows = Math.max(1, Math.round((options.startMs ?? 60) / WINDOW_MS));
    this.#hangoverWindows = Math.max(1, Math.round((options.hangoverMs ?? 400) / WINDOW_MS));
  }

  get speaking(): boolean {
    return this.#speaking;
  }

  get noiseFloorDbfs(): number {
    return this.#noiseFloorDbfs;
  }

  /** The events the audio brought about; nearly always none (then a shared empty array: nothing per packet). */
  process(samples: Int16Array, sampleRateHz: number): readonly VadEvent[] {
    if (sampleRateHz !== this.#sampleRateHz) {
      this.#sampleRateHz = sampleRateHz;
      this.#window = new Int16Array((sampleRateHz * WINDOW_MS) / 1000);
      this.#filled = 0;
    }
    let events: VadEvent[] | undefined;
    const buffer = this.#window;
    let i = 0;
    while (i < samples.length) {
      const take = Math.min(samples.length - i, buffer.length - this.#filled);
      for (let k = 0; k < take; k++) buffer[this.#filled + k] = samples[i + k] as number;
      this.#filled += take;
      i += take;
      if (this.#filled === buffer.length) {
        this.#filled = 0;
        const event = this.#onWindow(levelDbfs(buffer));
        if (event) (events ??= []).push(event);
      }
    }
    return events ?? NO_EVENTS;
  }

  #onWindow(level: number): VadEvent | undefined {
    const atMs = this.#windowsSeen++ * WINDOW_MS;
    if (this.#windowsSeen <= CALIBRATION_WINDOWS && level > this.#noiseFloorDbfs)
      this.#noiseFloorDbfs = level;
    const active = level > this.#thresholdDbfs && level > this.#noiseFloorDbfs + this.#marginDb;
    if (!this.#speaking && !active) {
      // Follow the floor down at once and up slowly (about 1 dB per 100 ms of steady noise).
      const bounded = Math.max(level, -90);
      this.#noiseFloorDbfs =
        bounded < this.#noiseFloorDbfs
          ? bounded
          : this.#noiseFloorDbfs + Math.min(0.1, bounded - this.#noiseFloorDbfs);
    }
    if (active) {
      this.#activeRun++;
      this.#quietRun = 0;
      if (!this.#speaking && this.#activeRun >= this.#startWindows) {
        this.#speaking = true;
        return { type: 'speech-start', atMs };
      }
    } else {
      this.#activeRun = 0;
      this.#quietRun++;
      if (this.#speaking && this.#quietRun >= this.#hangoverWindows) {
        this.#speaking = false;
        return { type: 'speech-stop', atMs };
      }
    }
    return undefined;
  }
}
