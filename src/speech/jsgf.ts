import type { SpeechGrammar } from './speech-grammar.ts';
import { DIGIT_WORD_LIST } from './spoken-digits.ts';

/**
 * A speech grammar as JSGF, the grammar format pocketsphinx reads. Every word must be in the recogniser's
 * pronunciation dictionary (pocketsphinx refuses a grammar with an unknown word), so phrases are lowercased,
 * stripped of punctuation, and left out when a word is still unknown. Undefined when no phrase is left.
 *
 * Callers wrap what they mean in small words ("I'd like to check my balance please"), so the phrases may be
 * preceded and followed by filler words; words that sound like digits are not fillers where digits are
 * expected ("to", "for").
 */
const LEADING = ['i', "i'd", "i'm", 'want', 'would', 'like', 'need', 'to', 'can', 'could', 'you', 'me', 'please', 'just', 'hi', 'hello', 'yes', 'okay'];
const TRAILING = ['please', 'thanks', 'thank', 'you'];
const SOUND_LIKE_DIGITS = new Set(['to', 'for']);

export function toJsgf(grammar: SpeechGrammar, knows: (word: string) => boolean): string | undefined {
  const rules: string[] = [];
  const choices: string[] = [];
  if (grammar.digits) {
    const { minDigits, maxDigits } = grammar.digits;
    const required = Array.from({ length: minDigits }, () => '<digit>');
    const optional = Array.from({ length: maxDigits - minDigits }, () => '[<digit>]');
    rules.push(`<digit> = ${DIGIT_WORD_LIST.filter(knows).join(' | ')};`, `<digits> = ${[...required, ...optional].join(' ')};`);
    choices.push('<digits>');
  }
  choices.push(...[...new Set(grammar.phrases.map(normalizePhrase))].filter((p) => p !== '' && p.split(' ').every(knows)));
  if (choices.length === 0) return undefined;
  const usable = (w: string): boolean => knows(w) && !(grammar.digits && SOUND_LIKE_DIGITS.has(w));
  rules.push(`<lead> = ${LEADING.filter(usable).join(' | ')};`, `<tail> = ${TRAILING.filter(usable).join(' | ')};`, `<core> = ${choices.join(' | ')};`);
  return ['#JSGF V1.0;', 'grammar parley;', ...rules, 'public <utterance> = [<lead>+] <core> [<tail>+];', ''].join('\n');
}

/** Lowercase words of a phrase, as a pronunciation dictionary spells them. */
export function normalizePhrase(phrase: string): string {
  return phrase
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9' ]+/g, ' ')
    .replace(/(^|\s)'+|'+(?=\s|$)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
