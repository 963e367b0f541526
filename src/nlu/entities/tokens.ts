/**
 * A tokenizer that keeps offsets into the original text, so every extractor can report the exact words
 * a value was found in. Typed text and speech-recognition output go through the same path.
 */

export type TokenKind = 'word' | 'numeral' | 'symbol';

export interface Token {
  readonly kind: TokenKind;
  /** As written. */
  readonly text: string;
  /** Lower case, accents folded, apostrophes dropped ("That's" → "thats"). */
  readonly norm: string;
  readonly start: number;
  readonly end: number;
}

const TOKEN = /(\p{L}[\p{L}\p{M}'’]*)|(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)|(\S)/gu;
const COMBINING_MARKS = /\p{M}+/gu;
const APOSTROPHES = /['’]/gu;

/** Hesitation sounds that recognisers transcribe; they may sit inside a number ("four uh one"). */
export const FILLERS: ReadonlySet<string> = new Set([
  'uh',
  'uhh',
  'uhm',
  'um',
  'umm',
  'er',
  'erm',
  'hmm',
  'hm',
  'mm',
  'ah',
  'eh',
]);

/** Plain ASCII letters: nothing to fold, so the Unicode normalisation can be skipped. */
const PLAIN_WORD = /^[A-Za-z]+$/u;

export function normalizeWord(word: string): string {
  if (PLAIN_WORD.test(word)) return word.toLowerCase();
  return word.normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase().replace(APOSTROPHES, '');
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  // exec over the shared expression rather than matchAll, which copies it: tokenising is on every turn
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m !== null; m = TOKEN.exec(text)) {
    const start = m.index;
    const raw = m[0];
    const kind: TokenKind = m[1] !== undefined ? 'word' : m[2] !== undefined ? 'numeral' : 'symbol';
    tokens.push({
      kind,
      text: raw,
      norm: kind === 'word' ? normalizeWord(raw) : raw,
      start,
      end: start + raw.length,
    });
  }
  return tokens;
}

/** The words of a text, normalised, with offsets (symbols and numerals kept as written). */
export function words(text: string): Token[] {
  return tokenize(text).filter((t) => t.kind !== 'symbol');
}

/** Is there nothing but white space between two tokens? */
export function spaceBetween(text: string, a: Token, b: Token): boolean {
  return /^\s*$/u.test(text.slice(a.end, b.start));
}

/** Are two tokens written together, with nothing at all between them? */
export function adjacent(a: Token, b: Token): boolean {
  return a.end === b.start;
}
