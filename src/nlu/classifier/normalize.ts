/**
 * Input normalisation shared by training and prediction. It makes typed text and speech-recognition
 * output look alike: lower case, accents folded, punctuation dropped, apostrophes joined ("don't" and
 * ASR "dont" give the same token), symbols spelled as a recogniser would write them ("$" -> "dollar")
 * and hesitation fillers removed ("uh I lost my card" -> "i lost my card").
 */

/** Hesitation sounds that recognisers transcribe but that carry no intent. */
const FILLERS = new Set(['uh', 'uhh', 'uhm', 'um', 'umm', 'er', 'erm', 'hmm', 'hm', 'mm', 'mmm', 'ah', 'eh']);

const SYMBOLS: Record<string, string> = {
  $: ' dollar ',
  '£': ' pound ',
  '€': ' euro ',
  '¥': ' yen ',
  '%': ' percent ',
  '&': ' and ',
  '@': ' at ',
  '+': ' plus ',
  '#': ' number ',
};

const COMBINING_MARKS = /\p{M}+/gu;
const APOSTROPHES = /['’`´]/gu;
const SYMBOL = /[$£€¥%&@+#]/gu;
const NOT_WORD = /[^\p{L}\p{N}]+/u;

/** Splits an utterance into normalised word tokens. */
export function tokenize(text: string): string[] {
  const folded = text
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(APOSTROPHES, '')
    .replace(SYMBOL, (s) => SYMBOLS[s] ?? ' ');
  const tokens: string[] = [];
  for (const raw of folded.split(NOT_WORD)) {
    if (raw.length === 0 || FILLERS.has(raw)) continue;
    tokens.push(raw);
  }
  return tokens;
}
