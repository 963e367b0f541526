/**
 * Digit strings as people key, type and say them: "4152", "41 52", "four one five two", "oh" = 0,
 * "double seven", "triple two", "(415) 555-2671", joined across spaces, dashes, dots and fillers
 * ("four uh one"). In a digit string "hundred" followed by a single digit ends its group, so "one eight
 * hundred five five five" is 1 800 5 5 5, as on a toll-free number.
 */
import { lookup } from './lookup.ts';
import { readGroup } from './spoken-numbers.ts';
import { FILLERS, type Token } from './tokens.ts';

const REPEATS = lookup({ double: 2, triple: 3 });

export interface DigitRun {
  digits: string;
  start: number;
  end: number;
  first: number;
  last: number;
  /** Where the "+" or "plus" before it starts, if any (an international phone number). */
  plusStart?: number;
}

/** One item of a digit string at token `i`: a group, "double seven", or a typed numeral taken digit by digit. */
function readDigitItem(
  tokens: readonly Token[],
  i: number,
): { digits: string; last: number; oh: boolean } | undefined {
  const t = tokens[i];
  if (!t) return undefined;
  const repeat = t.kind === 'word' ? REPEATS[t.norm] : undefined;
  if (repeat !== undefined) {
    const g = readGroup(tokens, i + 1, true);
    if (g?.digits?.length === 1 && g.last === i + 1)
      return { digits: g.digits.repeat(repeat), last: g.last, oh: false };
    return undefined;
  }
  if (t.kind === 'numeral') {
    const g = readGroup(tokens, i, true);
    if (!g) return undefined;
    // "415.555.2671", "1,250": every digit counts; "5 thousand" reads as a group.
    if (g.last === i) return { digits: t.text.replace(/\D/gu, ''), last: i, oh: false };
    return g.digits === undefined ? undefined : { digits: g.digits, last: g.last, oh: false };
  }
  const g = readGroup(tokens, i, true);
  if (!g || g.digits === undefined) return undefined;
  return { digits: g.digits, last: g.last, oh: g.oh };
}

const DIGIT_GAP = new Set(['-', '.', ',', '(', ')', '/']);

/** Every digit string in the text: keys, numerals and spoken digits, joined across spaces, dashes and fillers. */
export function findDigitRuns(tokens: readonly Token[]): DigitRun[] {
  const runs: DigitRun[] = [];
  let i = 0;
  while (i < tokens.length) {
    const item = readDigitItem(tokens, i);
    if (!item) {
      i += 1;
      continue;
    }
    let digits = item.digits;
    let last = item.last;
    let onlyOh = item.oh;
    for (;;) {
      let k = last + 1;
      while (k < tokens.length) {
        const gap = tokens[k];
        if (!gap) break;
        if (gap.kind === 'symbol' ? DIGIT_GAP.has(gap.text) : gap.kind === 'word' && FILLERS.has(gap.norm))
          k += 1;
        else break;
      }
      const next = readDigitItem(tokens, k);
      if (!next) break;
      digits += next.digits;
      last = next.last;
      onlyOh = false;
    }
    const first = i;
    const prev = tokens[i - 1];
    const startToken = tokens[i];
    const endToken = tokens[last];
    i = last + 1;
    if (onlyOh || !startToken || !endToken) continue;
    const plusStart =
      prev && (prev.text === '+' || (prev.kind === 'word' && prev.norm === 'plus')) ? prev.start : undefined;
    // "(415) 555-2671": the opening parenthesis belongs to the number.
    const start = prev?.text === '(' && prev.end === startToken.start ? prev.start : startToken.start;
    const run: DigitRun = { digits, start, end: endToken.end, first, last };
    if (plusStart !== undefined) run.plusStart = plusStart;
    runs.push(run);
  }
  return runs;
}
