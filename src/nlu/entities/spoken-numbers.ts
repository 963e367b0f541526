/**
 * Numbers as people say and type them: "twenty five", "a hundred and ten", "one point five", "1,250",
 * "minus three", "four one five two", "double seven".
 *
 * Reading rule. A *group* is one grammatical cardinal ("twenty five", "two thousand and ten", "25",
 * "1.5 million"). Spoken groups that follow each other without a hundred/thousand word and without a
 * fraction join digit by digit, the way people read account numbers, years and prices aloud:
 * "two five" → 25, "four one five two" → 4152, "nineteen ninety nine" → 1999, "one twenty five" → 125.
 * Typed numerals never join as numbers ("5 6" stays 5 and 6) but do in digit strings ("41 52" → "4152").
 * "oh" is a zero only beside other digits ("two oh five"), never alone ("oh, I see").
 * Digit strings ("double seven", "41 52") are read by `digit-runs.ts` on top of these groups.
 */
import { lookup } from './lookup.ts';
import type { Token } from './tokens.ts';

/** `{ word: first + i * step }` for the words in order. */
const table = (names: string[], first: number, step = 1): Readonly<Record<string, number>> =>
  lookup(Object.fromEntries(names.map((w, i) => [w, first + i * step])));

const UNITS = table(['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'], 1);
const ZEROS = lookup({ zero: 0, oh: 0, nought: 0, naught: 0 });
// prettier-ignore
const TEENS = table(['ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'], 10);
const TENS = lookup({
  ...table(['twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'], 20, 10),
  fourty: 40,
});
const SCALES = lookup({ thousand: 1e3, million: 1e6, billion: 1e9 });

// prettier-ignore
const ORDINAL_UNITS = table(['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth'], 1);
const ORDINAL_WORDS = lookup({
  ...ORDINAL_UNITS,
  // prettier-ignore
  ...table(['tenth', 'eleventh', 'twelfth', 'thirteenth', 'fourteenth', 'fifteenth', 'sixteenth', 'seventeenth', 'eighteenth', 'nineteenth'], 10),
  twentieth: 20,
  thirtieth: 30,
});

export interface NumberGroup {
  value: number;
  /** The decimal digits as said or typed ("0415" keeps its zero); absent for fractions. */
  digits?: string;
  /** Token indexes, inclusive. */
  first: number;
  last: number;
  start: number;
  end: number;
  /** Said in words rather than typed as a numeral. */
  spoken: boolean;
  /** Has a hundred/thousand word or a fraction: a whole number by itself, never a digit of a longer one. */
  complete: boolean;
  /** The bare word "oh". */
  oh: boolean;
}

export interface SpokenNumber {
  value: number;
  start: number;
  end: number;
  first: number;
  last: number;
}

const NUMBER_WORDS: ReadonlySet<string> = new Set([
  ...Object.keys(UNITS),
  ...Object.keys(ZEROS),
  ...Object.keys(TEENS),
  ...Object.keys(TENS),
  ...Object.keys(SCALES),
  'hundred',
]);

export function isNumberWord(word: string): boolean {
  return NUMBER_WORDS.has(word);
}

/** "first" … "nineteenth", "twentieth", "thirtieth" ("twenty first" starts with a number word). */
export function isOrdinalWord(word: string): boolean {
  return Object.hasOwn(ORDINAL_WORDS, word);
}

function wordAt(tokens: readonly Token[], i: number): string | undefined {
  const t = tokens[i];
  return t?.kind === 'word' ? t.norm : undefined;
}

/** The index after token `j`, stepping over a hyphen written between two words ("twenty-five"). */
function stepWord(tokens: readonly Token[], j: number): number {
  const dash = tokens[j + 1];
  const after = tokens[j + 2];
  const here = tokens[j];
  if (
    here &&
    dash?.text === '-' &&
    after?.kind === 'word' &&
    here.end === dash.start &&
    dash.end === after.start
  )
    return j + 2;
  return j + 1;
}

/** A numeral stuck to letters ("3rd", "4G", "A123") is not a number. */
function isBareNumeral(tokens: readonly Token[], i: number): boolean {
  const t = tokens[i];
  if (t?.kind !== 'numeral') return false;
  const prev = tokens[i - 1];
  const next = tokens[i + 1];
  if (prev?.kind === 'word' && prev.end === t.start) return false;
  if (next?.kind === 'word' && next.start === t.end) return false;
  return true;
}

type Last = 'none' | 'unit' | 'teen' | 'tens' | 'hundred' | 'scale' | 'numeral';

/**
 * Reads one grammatical cardinal starting at token `i`. In a digit string (`digitString`), "hundred"
 * followed directly by a single digit ends the group: "one eight hundred five five five" is 1 800 5 5 5.
 */
export function readGroup(tokens: readonly Token[], i: number, digitString = false): NumberGroup | undefined {
  const first = tokens[i];
  if (!first) return undefined;
  const zero = first.kind === 'word' ? ZEROS[first.norm] : undefined;
  if (zero !== undefined) {
    return {
      value: 0,
      digits: '0',
      first: i,
      last: i,
      start: first.start,
      end: first.end,
      spoken: true,
      complete: false,
      oh: first.norm === 'oh',
    };
  }
  let total = 0;
  let current = 0;
  let last: Last = 'none';
  let lastScale = Infinity;
  let pendingA = false;
  let end = -1;
  let numeralDigits: string | undefined;
  let scaled = false;
  let j = i;
  if (first.kind === 'numeral') {
    if (!isBareNumeral(tokens, i)) return undefined;
    current = Number(first.text.replaceAll(',', ''));
    numeralDigits = first.text.includes('.') ? undefined : first.text.replaceAll(',', '');
    last = 'numeral';
    end = i;
    j = i + 1;
  }
  while (j < tokens.length) {
    const w = wordAt(tokens, j);
    if (w === undefined) break;
    const next = wordAt(tokens, j + 1);
    if (
      (w === 'a' || w === 'an') &&
      last === 'none' &&
      next !== undefined &&
      (next === 'hundred' || next in SCALES)
    ) {
      current = 1;
      pendingA = true;
      j += 1;
      continue;
    }
    if (
      w === 'and' &&
      (last === 'hundred' || last === 'scale') &&
      next !== undefined &&
      (next in UNITS || next in TEENS || next in TENS)
    ) {
      j += 1;
      continue;
    }
    const unit = UNITS[w];
    const teen = TEENS[w];
    const tens = TENS[w];
    const scale = SCALES[w];
    if (digitString && unit !== undefined && last === 'hundred' && wordAt(tokens, j - 1) === 'hundred') break;
    if (
      unit !== undefined &&
      (last === 'none' || last === 'tens' || last === 'hundred' || last === 'scale')
    ) {
      current += unit;
      last = 'unit';
    } else if (
      (teen !== undefined || tens !== undefined) &&
      (last === 'none' || last === 'hundred' || last === 'scale')
    ) {
      current += teen ?? tens ?? 0;
      last = teen !== undefined ? 'teen' : 'tens';
    } else if (
      w === 'hundred' &&
      (pendingA ||
        ((last === 'unit' || last === 'teen' || last === 'tens' || last === 'numeral') &&
          current > 0 &&
          current < 100))
    ) {
      current *= 100;
      last = 'hundred';
      scaled = true;
    } else if (
      scale !== undefined &&
      scale < lastScale &&
      (pendingA ||
        ((last === 'unit' ||
          last === 'teen' ||
          last === 'tens' ||
          last === 'hundred' ||
          last === 'numeral') &&
          current > 0))
    ) {
      total += current * scale;
      current = 0;
      lastScale = scale;
      last = 'scale';
      scaled = true;
    } else {
      break;
    }
    pendingA = false;
    end = j;
    j = stepWord(tokens, j);
  }
  const startPoint = end < 0 && wordAt(tokens, i) === 'point';
  if (end < 0 && !startPoint) return undefined;
  let value = total + current;
  let lastIndex = end < 0 ? i - 1 : end;
  let fraction = false;
  // "one point five", "point two five"
  if (wordAt(tokens, lastIndex + 1) === 'point') {
    let k = lastIndex + 2;
    let digits = '';
    let g = readGroup(tokens, k);
    while (g && g.spoken && !g.complete && g.digits !== undefined) {
      digits += g.digits;
      k = g.last + 1;
      lastIndex = g.last;
      g = readGroup(tokens, k);
    }
    if (digits.length > 0) {
      value = Number(`${value}.${digits}`);
      fraction = true;
    } else if (startPoint) {
      return undefined;
    }
  }
  // "two and a half"
  if (
    !fraction &&
    wordAt(tokens, lastIndex + 1) === 'and' &&
    wordAt(tokens, lastIndex + 2) === 'a' &&
    wordAt(tokens, lastIndex + 3) === 'half'
  ) {
    value += 0.5;
    fraction = true;
    lastIndex += 3;
  }
  const startToken = tokens[i];
  const endToken = tokens[lastIndex];
  if (!startToken || !endToken) return undefined;
  const integral = !fraction && Number.isInteger(value);
  const digits = !integral
    ? undefined
    : numeralDigits !== undefined && !scaled
      ? numeralDigits
      : String(value);
  return {
    value,
    digits,
    first: i,
    last: lastIndex,
    start: startToken.start,
    end: endToken.end,
    spoken: first.kind === 'word',
    complete: scaled || fraction || first.kind === 'numeral',
    oh: false,
  };
}

function negativeSign(tokens: readonly Token[], i: number): boolean {
  const t = tokens[i];
  if (!t) return false;
  if (t.kind === 'word') return t.norm === 'minus' || t.norm === 'negative';
  const next = tokens[i + 1];
  const prev = tokens[i - 1];
  return (
    t.text === '-' && next?.kind === 'numeral' && next.start === t.end && !(prev && prev.end === t.start)
  );
}

/** Every number in the text, in order, following the reading rule above. */
export function findNumbers(tokens: readonly Token[]): SpokenNumber[] {
  const found: SpokenNumber[] = [];
  let i = 0;
  while (i < tokens.length) {
    const negative = negativeSign(tokens, i);
    const at = negative ? i + 1 : i;
    const g = readGroup(tokens, at);
    if (!g) {
      i += 1;
      continue;
    }
    const groups = [g];
    let tail = g;
    while (tail.spoken && !tail.complete) {
      const next = readGroup(tokens, tail.last + 1);
      if (!next || !next.spoken || next.complete) break;
      groups.push(next);
      tail = next;
    }
    i = tail.last + 1;
    if (groups.length === 1 && g.oh) continue;
    const magnitude = groups.length === 1 ? g.value : Number(groups.map((x) => x.digits ?? '').join(''));
    const startToken = tokens[negative ? at - 1 : at];
    found.push({
      value: negative ? -magnitude : magnitude,
      start: startToken?.start ?? g.start,
      end: tail.end,
      first: negative ? at - 1 : at,
      last: tail.last,
    });
  }
  return found;
}

export interface Ordinal {
  value: number;
  first: number;
  last: number;
  start: number;
  end: number;
}

/** An ordinal at token `i`: "3rd", "third", "twenty first", "twenty-first". */
export function readOrdinal(tokens: readonly Token[], i: number): Ordinal | undefined {
  const t = tokens[i];
  if (!t) return undefined;
  if (t.kind === 'numeral') {
    const suffix = tokens[i + 1];
    if (
      /^\d+$/u.test(t.text) &&
      suffix?.kind === 'word' &&
      suffix.start === t.end &&
      /^(st|nd|rd|th)$/u.test(suffix.norm)
    ) {
      return { value: Number(t.text), first: i, last: i + 1, start: t.start, end: suffix.end };
    }
    return undefined;
  }
  if (t.kind !== 'word') return undefined;
  const tens = TENS[t.norm];
  if (tens !== undefined) {
    const j = stepWord(tokens, i);
    const unitWord = wordAt(tokens, j);
    const unit = unitWord === undefined ? undefined : ORDINAL_UNITS[unitWord];
    const u = tokens[j];
    if (unit !== undefined && u) return { value: tens + unit, first: i, last: j, start: t.start, end: u.end };
    return undefined;
  }
  const value = ORDINAL_WORDS[t.norm];
  return value === undefined ? undefined : { value, first: i, last: i, start: t.start, end: t.end };
}
