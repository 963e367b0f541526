import type { DtmfDigit } from '../frames.ts';

/** The DTMF frequency pairs (ITU-T Q.23): rows are the low group, columns the high group. */
export const DTMF_ROWS_HZ = [697, 770, 852, 941] as const;
export const DTMF_COLUMNS_HZ = [1209, 1336, 1477, 1633] as const;
export const DTMF_KEYPAD = ['123A', '456B', '789C', '*0#D'] as const;

export function dtmfFrequencies(digit: DtmfDigit): { lowHz: number; highHz: number } {
  for (let row = 0; row < 4; row++) {
    const column = (DTMF_KEYPAD[row] as string).indexOf(digit);
    if (column >= 0) return { lowHz: DTMF_ROWS_HZ[row] as number, highHz: DTMF_COLUMNS_HZ[column] as number };
  }
  throw new RangeError(`not a DTMF digit: ${digit}`);
}

export interface DtmfToneOptions {
  sampleRateHz?: number;
  durationMs?: number;
  /** Level of the low-group tone in dB below full scale (peak), e.g. -10. */
  levelDbfs?: number;
  /** High-group level minus low-group level in dB (telephones send about +2). */
  twistDb?: number;
}

/** The two-tone signal of one key press (and nothing else: add gaps between digits yourself). */
export function generateDtmfTone(digit: DtmfDigit, options: DtmfToneOptions = {}): Int16Array {
  const sampleRateHz = options.sampleRateHz ?? 8000;
  const durationMs = options.durationMs ?? 100;
  const lowAmplitude = 32767 * 10 ** ((options.levelDbfs ?? -10) / 20);
  const highAmplitude = lowAmplitude * 10 ** ((options.twistDb ?? 2) / 20);
  if (lowAmplitude + highAmplitude > 32767) throw new RangeError('DTMF tone level would clip');
  const { lowHz, highHz } = dtmfFrequencies(digit);
  const count = Math.round((durationMs * sampleRateHz) / 1000);
  const out = new Int16Array(count);
  const wLow = (2 * Math.PI * lowHz) / sampleRateHz;
  const wHigh = (2 * Math.PI * highHz) / sampleRateHz;
  for (let i = 0; i < count; i++)
    out[i] = Math.round(lowAmplitude * Math.sin(wLow * i) + highAmplitude * Math.sin(wHigh * i));
  return out;
}

/** Digits separated by silence, e.g. for testing a keypad collector end to end. */
export function generateDtmfSequence(
  digits: string,
  options: DtmfToneOptions & { gapMs?: number } = {},
): Int16Array {
  const sampleRateHz = options.sampleRateHz ?? 8000;
  const gap = new Int16Array(Math.round(((options.gapMs ?? 100) * sampleRateHz) / 1000));
  const parts: Int16Array[] = [];
  for (const digit of digits) parts.push(generateDtmfTone(digit as DtmfDigit, options), gap);
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
