/**
 * The `digits` entity: a string of digits from keys, numerals or words ("four one five two", "oh" = 0,
 * "double seven", "triple two", "41 52"). Leading zeros are kept. When several digit strings are in the
 * text, the longest one that fits minLength/maxLength wins (the first on a tie).
 */
import { extraction, type Extraction } from './extraction.ts';
import { Utterance } from './utterance.ts';

export interface DigitsOptions {
  minLength?: number;
  maxLength?: number;
}

export function extractDigits(
  text: string | Utterance,
  options: DigitsOptions = {},
): Extraction<string> | undefined {
  const u = Utterance.of(text);
  let best: Extraction<string> | undefined;
  for (const run of u.digitRuns) {
    if (options.minLength !== undefined && run.digits.length < options.minLength) continue;
    if (options.maxLength !== undefined && run.digits.length > options.maxLength) continue;
    if (best && best.value.length >= run.digits.length) continue;
    best = extraction(u.text, run.digits, run.start, run.end);
  }
  return best;
}
