import type { SpeechGrammar } from './speech-grammar.ts';
import { DIGIT_WORD_LIST } from './spoken-digits.ts';

/**
 * A speech grammar as JSGF, the grammar format pocketsphinx reads. Every word must be in the recogniser's
 * pronunciation dictionary (pocketsphinx refuses a grammar with an unknown word), so phrases are lowercased,
 * stripped of punctuation, and left out when a word is still unknown. Undefined when no phrase is left.
 */
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
  return ['#JSGF V1.0;', 'grammar parley;', ...rules, `public <utterance> = ${choices.join(' | ')};`, ''].join('\n');
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
