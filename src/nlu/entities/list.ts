/**
 * The `list` entity: one of the bot's values, said as the value or one of its synonyms, returned as the
 * canonical value. Matching ignores case, accents and plurals, joins or splits words ("check book" =
 * "checkbook") and forgives small typos and recognition slips by edit distance: none for words under 5
 * letters ("car" is not "card"), one up to 8, two beyond. An exact match beats a near one, then the longer phrase, then the earlier.
 */
import type { ListValue } from '../../core/bot.ts';
import { extraction, type Extraction } from './extraction.ts';
import { words } from './tokens.ts';
import { Utterance } from './utterance.ts';

// Three rows of the distance table, reused from one call to the next (typed arrays are costly to make).
let rows = new Int32Array(3 * 32);

/** Damerau–Levenshtein distance (optimal string alignment), stopping early above `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const width = b.length + 1;
  if (rows.length < 3 * width) rows = new Int32Array(3 * width);
  // rows of i - 2, i - 1 and i, rotating
  let prev2 = 0;
  let prev = width;
  let row = 2 * width;
  for (let j = 0; j <= b.length; j += 1) rows[prev + j] = j;
  for (let i = 1; i <= a.length; i += 1) {
    rows[row] = i;
    let best = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j += 1) {
      const bj = b.charCodeAt(j - 1);
      let d = rows[prev + j - 1]! + (ai === bj ? 0 : 1);
      const deletion = rows[prev + j]! + 1;
      const insertion = rows[row + j - 1]! + 1;
      if (deletion < d) d = deletion;
      if (insertion < d) d = insertion;
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) {
        const transposition = rows[prev2 + j - 2]! + 1;
        if (transposition < d) d = transposition;
      }
      rows[row + j] = d;
      if (d < best) best = d;
    }
    if (best > limit) return limit + 1;
    const free = prev2;
    prev2 = prev;
    prev = row;
    row = free;
  }
  return rows[prev + b.length]!;
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

/** An exact match beats a near one, then the longer phrase, then the earlier. */
function better(c: Candidate, best: Candidate | undefined): boolean {
  return (
    !best ||
    c.cost < best.cost ||
    (c.cost === best.cost && (c.length > best.length || (c.length === best.length && c.start < best.start)))
  );
}

export function extractListValue(
  text: string | Utterance,
  values: ListValue[],
): Extraction<string> | undefined {
  const u = Utterance.of(text);
  const tokens = u.words;
  const forms = tokens.map((t) => singular(t.norm));
  // A near match keeps its first letter, so a phrase is only compared with the windows that start with a
  // word of its first letter: the positions of those words, by letter.
  const startsAt = new Map<string, number[]>();
  forms.forEach((form, i) => {
    const letter = form[0] ?? '';
    const at = startsAt.get(letter);
    if (at) at.push(i);
    else startsAt.set(letter, [i]);
  });
  // the words of the text joined from word i over `size` words, built once
  const windows = new Map<number, string>();
  let best: Candidate | undefined;
  for (const { value, joined, size: words, limit } of prepare(values)) {
    const starts = startsAt.get(joined[0] ?? '');
    if (!starts) continue;
    for (let size = Math.max(1, words - 1); size <= words + 1; size += 1) {
      for (const i of starts) {
        if (i + size > forms.length) break;
        const key = i * (forms.length + 1) + size;
        let window = windows.get(key);
        if (window === undefined) {
          window = forms.slice(i, i + size).join('');
          windows.set(key, window);
        }
        if (Math.abs(window.length - joined.length) > limit) continue;
        const cost = window === joined ? 0 : editDistance(window, joined, limit);
        if (cost > limit) continue;
        const first = tokens[i];
        const last = tokens[i + size - 1];
        if (!first || !last) continue;
        const c = { value, cost, length: joined.length, start: first.start, end: last.end };
        if (better(c, best)) best = c;
      }
    }
  }
  return best && extraction(u.text, best.value, best.start, best.end);
}
