import { ParleyError } from '../../errors.ts';

/**
 * Sample-rate conversion by an integer factor (8 kHz ↔ 16 kHz is the case that matters: G.711
 * narrowband against wideband speech engines). A polyphase windowed-sinc FIR (Kaiser window) low-pass
 * at 0.45 of the lower rate removes the images when going up and the aliases when going down; the
 * filter keeps its history, so a stream can be fed in packets of any size without clicks.
 */

export interface Resampler {
  readonly fromHz: number;
  readonly toHz: number;
  process(samples: Int16Array): Int16Array;
  /** How many samples `process` would give for `inputLength` samples now (it depends on the phase going down). */
  outputLength(inputLength: number): number;
  /** Like `process`, into `out` (room for `outputLength` samples); returns the samples written. Allocates nothing. */
  processInto(samples: Int16Array, out: Int16Array): number;
}

const TAPS_PER_PHASE = 32;
const KAISER_BETA = 8;

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

/** Low-pass prototype at the high rate: `factor` × TAPS_PER_PHASE taps, cutoff 0.45 / factor of that rate, DC gain `factor`. */
function designLowPass(factor: number): Float64Array {
  const length = factor * TAPS_PER_PHASE;
  const taps = new Float64Array(length);
  const cutoff = 0.45 / factor; // cycles per sample at the high rate
  const middle = (length - 1) / 2;
  const i0Beta = besselI0(KAISER_BETA);
  let sum = 0;
  for (let n = 0; n < length; n++) {
    const t = n - middle;
    const sinc = t === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * t) / (Math.PI * t);
    const ratio = t / (middle + 0.5);
    const window = besselI0(KAISER_BETA * Math.sqrt(Math.max(0, 1 - ratio * ratio))) / i0Beta;
    taps[n] = sinc * window;
    sum += taps[n] as number;
  }
  for (let n = 0; n < length; n++) taps[n] = ((taps[n] as number) * factor) / sum;
  return taps;
}

function clamp16(value: number): number {
  const r = Math.round(value);
  return r > 32767 ? 32767 : r < -32768 ? -32768 : r;
}

class Upsampler implements Resampler {
  readonly #factor: number;
  /** phases[p][k]: tap p + k·factor of the prototype. */
  readonly #phases: Float64Array[];
  readonly #history = new Float64Array(TAPS_PER_PHASE);

  constructor(
    readonly fromHz: number,
    readonly toHz: number,
  ) {
    this.#factor = toHz / fromHz;
    const taps = designLowPass(this.#factor);
    this.#phases = Array.from({ length: this.#factor }, (_, p) =>
      Float64Array.from({ length: TAPS_PER_PHASE }, (_, k) => taps[p + k * this.#factor] as number),
    );
  }

  process(samples: Int16Array): Int16Array {
    const out = new Int16Array(this.outputLength(samples.length));
    this.processInto(samples, out);
    return out;
  }

  outputLength(inputLength: number): number {
    return inputLength * this.#factor;
  }

  processInto(samples: Int16Array, out: Int16Array): number {
    const factor = this.#factor;
    const history = this.#history; // newest at index 0
    for (let i = 0; i < samples.length; i++) {
      history.copyWithin(1, 0, TAPS_PER_PHASE - 1);
      history[0] = samples[i] as number;
      for (let p = 0; p < factor; p++) {
        const phase = this.#phases[p] as Float64Array;
        let acc = 0;
        for (let k = 0; k < TAPS_PER_PHASE; k++) acc += (phase[k] as number) * (history[k] as number);
        out[i * factor + p] = clamp16(acc);
      }
    }
    return samples.length * factor;
  }
}

class Downsampler implements Resampler {
  readonly #factor: number;
  readonly #taps: Float64Array;
  /** The last taps.length input samples (newest last), then room for one packet; grown when a packet is larger. */
  #window: Float64Array;
  #phase = 0;

  constructor(
    readonly fromHz: number,
    readonly toHz: number,
  ) {
    this.#factor = fromHz / toHz;
    const taps = designLowPass(this.#factor);
    // designLowPass gives DC gain `factor` for interpolation; decimation wants unity.
    this.#taps = taps.map((t) => t / this.#factor);
    this.#window = new Float64Array(this.#taps.length * 2);
  }

  process(samples: Int16Array): Int16Array {
    const out = new Int16Array(this.outputLength(samples.length));
    this.processInto(samples, out);
    return out;
  }

  outputLength(inputLength: number): number {
    return inputLength > this.#phase ? Math.ceil((inputLength - this.#phase) / this.#factor) : 0;
  }

  processInto(samples: Int16Array, out: Int16Array): number {
    const length = this.#taps.length;
    if (this.#window.length < length + samples.length) {
      const grown = new Float64Array(length + samples.length);
      grown.set(this.#window.subarray(0, length));
      this.#window = grown;
    }
    const buffer = this.#window;
    for (let i = 0; i < samples.length; i++) buffer[length + i] = samples[i] as number;
    // Output whenever the input index reaches a multiple of the factor (phase tracks across calls).
    let written = 0;
    let i = this.#phase;
    for (; i < samples.length; i += this.#factor) {
      const end = length + i; // index of the newest sample in the window
      let acc = 0;
      for (let k = 0; k < length; k++) acc += (this.#taps[k] as number) * (buffer[end - k] as number);
      out[written++] = clamp16(acc);
    }
    this.#phase = i - samples.length;
    // Keep the newest taps.length samples at the front for the next call.
    buffer.copyWithin(0, samples.length, samples.length + length);
    return written;
  }
}

class Passthrough implements Resampler {
  constructor(
    readonly fromHz: number,
    readonly toHz: number,
  ) {}

  process(samples: Int16Array): Int16Array {
    return samples.slice();
  }

  outputLength(inputLength: number): number {
    return inputLength;
  }

  processInto(samples: Int16Array, out: Int16Array): number {
    out.set(samples);
    return samples.length;
  }
}

export function createResampler(fromHz: number, toHz: number): Resampler {
  if (fromHz === toHz) return new Passthrough(fromHz, toHz);
  if (toHz > fromHz && Number.isInteger(toHz / fromHz)) return new Upsampler(fromHz, toHz);
  if (fromHz > toHz && Number.isInteger(fromHz / toHz)) return new Downsampler(fromHz, toHz);
  throw new ParleyError(
    'PARLEY_ERR_CONFIG',
    `cannot resample ${fromHz} Hz to ${toHz} Hz: only integer ratios are supported`,
  );
}
