/**
 * The `digits` entity: a string of digits from keys, numerals or words ("four one five two", "oh" = 0,
 * "double seven", "triple two", "41 52"). Leading zeros are kept. When several digit strings are in the
 * text, the longest one that fits minLength/maxLength wins (the first on a tie).
 */
import { extraction, type Extraction } from './extraction.ts';
import { findDigitRuns } from './digit-runs.ts';
import { tokenize } from './tokens.ts';

export interface DigitsOptions {
  minLength?: number;
  maxLength?: number;
}

export function extractDigits(text: string, options: DigitsOptions = {}): Extraction<string> | undefined {
  let best: Extraction<string> | undefined;
  for (const run of findDigitRuns(tokenize(text))) {
    if (options.minLength !== undefined && run.digits.length < options.minLength) continue;
    if (options.maxLength !== undefined && run.digits.length > options.maxLength) continue;
    if (best && best.value.length >= run.digits.length) continue;
    best = extraction(text, run.digits, run.start, run.end);
  }
  return best;
}
