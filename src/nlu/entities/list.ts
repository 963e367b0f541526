/**
 * The `list` entity: one of the bot's values, said as the value or one of its synonyms, returned as the
 * canonical value. Matching ignores case, accents and plurals, joins or splits words ("check book" =
 * "checkbook") and forgives small typos and recognition slips by edit distance: none for words under 5
 * letters ("car" is not "card"), one up to 8, two beyond. An exact match beats a near one, then the longer phrase, then the earlier.
 */
import type { ListValue } from '../../core/bot.ts';
import { extraction, type Extraction } from './extraction.ts';
import { words, type Token } from './tokens.ts';

/** Damerau–Levenshtein distance (optimal string alignment), stopping early above `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev2: number[] = [];
  let prev: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const row: number[] = [i];
    let best = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, (prev2[j - 2] ?? 0) + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > limit) return limit + 1;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length] ?? limit + 1;
}

export function singular(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && /(ss|x|z|ch|sh)es$/u.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us'))
    return word.slice(0, -1);
  return word;
}

function allowance(length: number): number {
  if (length < 5) return 0;
  return length < 9 ? 1 : 2;
}

interface Candidate {
  value: string;
  cost: number;
  length: number;
  start: number;
  end: number;
}

interface Phrase {
  value: string;
  /** The phrase's words, singular, written together. */
  joined: string;
  size: number;
  limit: number;
}

const preparedLists = new WeakMap<ListValue[], Phrase[]>();

/** The values and synonyms of a list in comparable form, once per list. */
function prepare(values: ListValue[]): Phrase[] {
  let phrases = preparedLists.get(values);
  if (!phrases) {
    phrases = [];
    for (const entry of values) {
      for (const phrase of [entry.value, ...entry.synonyms]) {
        const forms = words(phrase).map((t) => singular(t.norm));
        const joined = forms.join('');
        if (forms.length > 0)
          phrases.push({ value: entry.value, joined, size: forms.length, limit: allowance(joined.length) });
      }
    }
    preparedLists.set(values, phrases);
  }
  return phrases;
}

export function extractListValue(text: string, values: ListValue[]): Extraction<string> | undefined {
  const tokens: Token[] = words(text);
  const forms = tokens.map((t) => singular(t.norm));
  // the words of the text joined in windows of each size, built once
  const windows = new Map<number, string[]>();
  const windowsOf = (size: number): string[] => {
    let list = windows.get(size);
    if (!list) {
      list = [];
      for (let i = 0; i + size <= forms.length; i += 1) list.push(forms.slice(i, i + size).join(''));
      windows.set(size, list);
    }
    return list;
  };
  let best: Candidate | undefined;
  const better = (c: Candidate): boolean =>
    !best ||
    c.cost < best.cost ||
    (c.cost === best.cost && (c.length > best.length || (c.length === best.length && c.start < best.start)));
  for (const { value, joined, size: words, limit } of prepare(values)) {
    for (let size = Math.max(1, words - 1); size <= words + 1; size += 1) {
      windowsOf(size).forEach((window, i) => {
        // a near match must still be the same word: same first letter
        if (window[0] !== joined[0] || Math.abs(window.length - joined.length) > limit) return;
        const cost = window === joined ? 0 : editDistance(window, joined, limit);
        if (cost > limit) return;
        const first = tokens[i];
        const last = tokens[i + size - 1];
        if (!first || !last) return;
        const c = { value, cost, length: joined.length, start: first.start, end: last.end };
        if (better(c)) best = c;
      });
    }
  }
  return best && extraction(text, best.value, best.start, best.end);
}
