/**
 * The `number` entity: numerals and number words, with the reading rule of `spoken-numbers.ts`
 * ("two five" → 25, "twenty five" → 25, "a hundred and ten" → 110, "one point five" → 1.5, "1,250", "minus 3").
 */
import { extraction, type Extraction } from './extraction.ts';
import { Utterance } from './utterance.ts';

export interface NumberOptions {
  /** Values outside [min, max] are not an answer. */
  min?: number;
  max?: number;
}

export function extractNumbers(text: string | Utterance): Array<Extraction<number>> {
  const u = Utterance.of(text);
  return u.numbers.map((n) => extraction(u.text, n.value, n.start, n.end));
}

/** The first number in range. */
export function extractNumber(
  text: string | Utterance,
  options: NumberOptions = {},
): Extraction<number> | undefined {
  return extractNumbers(text).find(
    (n) =>
      (options.min === undefined || n.value >= options.min) &&
      (options.max === undefined || n.value <= options.max),
  );
}
