/**
 * Sample-rate conversion by any rational factor (22 050 Hz text-to-speech audio to the 16 000 Hz a call
 * plays, say): a polyphase windowed-sinc filter, upsampling by L and decimating by M in one step. The
 * filter keeps its history, so audio can be fed in chunks of any size without clicks.
 */

const TAPS_PER_PHASE = 24;
const KAISER_BETA = 7;

export interface PcmResampler {
  readonly fromHz: number;
  readonly toHz: number;
  process(samples: Int16Array): Int16Array;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

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

export function createPcmResampler(fromHz: number, toHz: number): PcmResampler {
  if (!Number.isInteger(fromHz) || !Number.isInteger(toHz) || fromHz <= 0 || toHz <= 0) {
    throw new RangeError(`sample rates must be positive integers (got ${fromHz} → ${toHz})`);
  }
  if (fromHz === toHz) return { fromHz, toHz, process: (s) => s };
  const g = gcd(fromHz, toHz);
  const up = toHz / g;
  const down = fromHz / g;
  // Prototype low-pass at the upsampled rate, cut at 0.45 of the lower of the two rates.
  const length = up * TAPS_PER_PHASE;
  const cutoff = (0.45 * Math.min(fromHz, toHz)) / (fromHz * up);
  const middle = (length - 1) / 2;
  const i0 = besselI0(KAISER_BETA);
  const phases: Float64Array[] = Array.from({ length: up }, () => new Float64Array(TAPS_PER_PHASE));
  for (let n = 0; n < length; n++) {
    const t = n - middle;
    const sinc = t === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * t) / (Math.PI * t);
    const r = t / (middle + 0.5);
    const w = besselI0(KAISER_BETA * Math.sqrt(Math.max(0, 1 - r * r))) / i0;
    phases[n % up]![Math.floor(n / up)] = sinc * w * up;
  }
  // history[k] holds input sample (next - 1 - k)
  const history = new Float64Array(TAPS_PER_PHASE);
  /** Position of the next output sample on the upsampled grid, relative to the next input sample. */
  let position = 0;
  return {
    fromHz,
    toHz,
    process(samples) {
      const out = new Int16Array(Math.ceil(((samples.length + 1) * up) / down));
      let produced = 0;
      for (let i = 0; i < samples.length; i++) {
        history.copyWithin(1, 0, TAPS_PER_PHASE - 1);
        history[0] = samples[i]!;
        // Outputs that fall between this input sample and the next.
        while (position < up) {
          const taps = phases[position]!;
          let acc = 0;
          for (let k = 0; k < TAPS_PER_PHASE; k++) acc += taps[k]! * history[k]!;
          const r = Math.round(acc);
          out[produced++] = r > 32767 ? 32767 : r < -32768 ? -32768 : r;
          position += down;
        }
        position -= up;
      }
      return out.subarray(0, produced);
    },
  };
}
