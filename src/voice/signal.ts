/** Small signal measurements and generators shared by the codecs, detectors and their tests. */

/** A sine tone, 16-bit. `amplitude` is the peak in sample units. */
export function sine(
  frequencyHz: number,
  durationMs: number,
  sampleRateHz: number,
  amplitude = 8000,
  phase = 0,
): Int16Array {
  const count = Math.round((durationMs * sampleRateHz) / 1000);
  const out = new Int16Array(count);
  const step = (2 * Math.PI * frequencyHz) / sampleRateHz;
  for (let i = 0; i < count; i++) out[i] = Math.round(amplitude * Math.sin(phase + step * i));
  return out;
}

/** Mean power of the samples (sample units squared). */
export function meanPower(samples: ArrayLike<number>, start = 0, end = samples.length): number {
  let sum = 0;
  for (let i = start; i < end; i++) {
    const v = samples[i] as number;
    sum += v * v;
  }
  return end > start ? sum / (end - start) : 0;
}

/** Level relative to a full-scale square wave, in dB (a full-scale sine is about -3 dBFS). */
export function levelDbfs(samples: ArrayLike<number>, start = 0, end = samples.length): number {
  const power = meanPower(samples, start, end);
  return power > 0 ? 10 * Math.log10(power / (32768 * 32768)) : -Infinity;
}

/**
 * Goertzel: the power at `frequencyHz` over samples[start, start+length), normalised so that a sine of
 * peak amplitude A at that frequency gives about A²/2 (its mean power).
 */
export function tonePower(
  samples: ArrayLike<number>,
  frequencyHz: number,
  sampleRateHz: number,
  start = 0,
  length = samples.length - start,
): number {
  const coefficient = 2 * Math.cos((2 * Math.PI * frequencyHz) / sampleRateHz);
  let s1 = 0;
  let s2 = 0;
  for (let i = start; i < start + length; i++) {
    const s0 = (samples[i] as number) + coefficient * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
  return (2 * power) / (length * length);
}

/** The strongest frequency on a grid of `stepHz` (a coarse spectrum peak, for tests and diagnostics). */
export function dominantFrequencyHz(samples: ArrayLike<number>, sampleRateHz: number, stepHz = 10): number {
  let best = 0;
  let bestPower = -1;
  for (let f = stepHz; f < sampleRateHz / 2; f += stepHz) {
    const p = tonePower(samples, f, sampleRateHz);
    if (p > bestPower) {
      bestPower = p;
      best = f;
    }
  }
  return best;
}

/**
 * Signal-to-noise ratio of `decoded` against `reference` in dB, after finding the codec delay
 * (0..maxLagSamples) that lines them up best. The first `skip` samples (codec start-up) are ignored.
 */
export function snrDb(
  reference: Int16Array,
  decoded: Int16Array,
  maxLagSamples = 64,
  skip = 0,
): { snrDb: number; lagSamples: number } {
  let best = { snrDb: -Infinity, lagSamples: 0 };
  const end = Math.min(reference.length, decoded.length - maxLagSamples);
  for (let lag = 0; lag <= maxLagSamples; lag++) {
    let signal = 0;
    let noise = 0;
    for (let i = skip; i < end; i++) {
      const a = reference[i] as number;
      const e = a - (decoded[i + lag] as number);
      signal += a * a;
      noise += e * e;
    }
    const value = noise === 0 ? Infinity : 10 * Math.log10(signal / noise);
    if (value > best.snrDb) best = { snrDb: value, lagSamples: lag };
  }
  return best;
}
