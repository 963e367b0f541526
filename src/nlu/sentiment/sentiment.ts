/**
 * Per-utterance sentiment in −1 … 1 from the lexicon: phrases first, then words; a negator among the three
 * words of the same clause before flips and weakens a value ("not happy" −, "not bad" mildly +); boosters scale the next word
 * ("so frustrated", "a bit slow") and some scale the word before ("thanks so much"); the clause after
 * "but" counts more than the one before; exclamation marks and words in capitals add weight. The sum is
 * squashed with s / √(s² + 15), so one strong word lands near ±0.6 and several near ±0.9.
 */
import type { Token } from '../entities/tokens.ts';
import { Utterance } from '../entities/utterance.ts';
import { AFTER_BOOSTERS, BOOSTERS, NEGATORS, PHRASES, WORDS } from './lexicon.ts';

// Maps of the lexicon's own entries: quicker to probe than the records, and "constructor" is no word there
const WORD_VALUES = new Map(Object.entries(WORDS));
const PHRASE_VALUES = new Map(Object.entries(PHRASES));
const BOOSTER_VALUES = new Map(Object.entries(BOOSTERS));

/** The most words of a phrase starting with each word ("thank" → 4 for "thank you so much"). */
const PHRASE_WORDS = new Map<string, number>();
for (const phrase of PHRASE_VALUES.keys()) {
  const [first = '', ...rest] = phrase.split(' ');
  PHRASE_WORDS.set(first, Math.max(PHRASE_WORDS.get(first) ?? 0, rest.length + 1));
}
const AFTER = AFTER_BOOSTERS.map((p) => p.split(' '));
const SQUASH = 15;

export interface SentimentDetail {
  /** −1 … 1, 0 when nothing carried sentiment. */
  score: number;
  /** What contributed, for explaining a score in tests and dashboards. */
  hits: Array<{ text: string; value: number }>;
}

export function analyzeSentiment(said: string | Utterance): SentimentDetail {
  const u = Utterance.of(said);
  const text = u.text;
  // words only, each remembering the clause it is in: negation and boosting stop at , . ; ! ?
  const tokens: Token[] = [];
  const clause: number[] = [];
  let clauseNo = 0;
  for (const t of u.tokens) {
    if (t.kind === 'symbol') {
      if (/[,.;!?]/u.test(t.text)) clauseNo += 1;
      continue;
    }
    tokens.push(t);
    clause.push(clauseNo);
  }
  const norms = tokens.map((t) => t.norm);
  const butAt = norms.lastIndexOf('but');
  const hits: SentimentDetail['hits'] = [];
  let sum = 0;
  let taken = 0;
  let i = 0;
  while (i < norms.length) {
    let length = 0;
    let value = 0;
    for (let n = Math.min(PHRASE_WORDS.get(norms[i] ?? '') ?? 0, norms.length - i); n >= 2; n -= 1) {
      const v = PHRASE_VALUES.get(norms.slice(i, i + n).join(' '));
      if (v !== undefined) {
        length = n;
        value = v;
        break;
      }
    }
    if (length === 0) {
      const w = norms[i] ?? '';
      value = WORD_VALUES.get(w) ?? 0;
      length = 1;
    }
    if (value !== 0) {
      // boosters and negators before the phrase
      for (let k = i - 1; k >= Math.max(taken, i - 3) && clause[k] === clause[i]; k -= 1) {
        const b = BOOSTER_VALUES.get(norms[k] ?? '');
        if (b !== undefined && k === i - 1) value *= b;
        if (NEGATORS.has(norms[k] ?? '')) {
          value *= -0.75;
          break;
        }
      }
      for (const after of AFTER) {
        if (after.every((w, j) => norms[i + length + j] === w)) value *= 1.5;
      }
      const raw = tokens
        .slice(i, i + length)
        .map((t) => t.text)
        .join(' ');
      // a word in capitals is shouted, unless everything is in capitals
      const lettered = /\p{Ll}/u.test(text);
      if (lettered && raw.length > 1 && raw === raw.toUpperCase() && /\p{Lu}/u.test(raw)) value *= 1.5;
      if (butAt >= 0) value *= i > butAt ? 1.5 : 0.5;
      hits.push({ text: raw, value });
      sum += value;
      taken = i + length;
    }
    i += length;
  }
  const bangs = Math.min((text.match(/!/gu) ?? []).length, 3);
  if (sum !== 0) sum += Math.sign(sum) * bangs * 0.3;
  const score = sum / Math.sqrt(sum * sum + SQUASH);
  return { score: Math.round(score * 1000) / 1000, hits };
}

/** −1 (angry) … 1 (delighted). */
export function sentiment(text: string | Utterance): number {
  return analyzeSentiment(text).score;
}
