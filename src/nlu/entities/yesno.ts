/**
 * The `yesno` entity (and confirmations): true/false from the many ways people agree or refuse —
 * "yeah", "yep", "sure", "that's right", "correct", "go ahead", "uh huh"; "nope", "no thanks", "not
 * really", "that's not right", "I don't think so". Phrases are matched longest first from left to right;
 * a yes-word right after "not" is a no ("not exactly"); "not sure" / "I don't know" answer neither. When
 * the caller says both, the last answer counts ("no wait, yes"). Keypad digits are the channel's business.
 */
import { extraction, type Extraction } from './extraction.ts';
import type { Token } from './tokens.ts';
import { Utterance } from './utterance.ts';

const phrases = (list: string): string[] =>
  list
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);

const YES = phrases(`
  yes, yeah, yea, yah, ya, yep, yup, yes please, sure, sure thing, of course, ok, okay, alright,
  all right, correct, thats correct, that is correct, thats right, that is right, right, exactly,
  absolutely, definitely, certainly, affirmative, indeed, yes it is, it is, i do, i did, please do,
  go ahead, go for it, sounds good, that works, perfect, true, uh huh, mhm, mm hmm, you got it, you bet,
  why not, confirm, confirmed, do it, no problem, no worries, that would be great, thats it, that is it,
  agreed, fine, i dont mind, dont mind, not a problem
`);
const NO = phrases(`
  no, nope, nah, no thanks, no thank you, not really, not at all, negative, incorrect, wrong,
  thats wrong, that is wrong, thats not right, that is not right, not right, not correct,
  thats not correct, that is not correct, dont, i dont, do not, never, no way, nay, uh uh, false,
  it isnt, it is not, it isnt right, not now, not yet, cancel, not quite, dont do it, i dont think so,
  definitely not, absolutely not, of course not, please dont, thats not it, that is not it, i did not,
  i didnt, not that
`);
const NEITHER = phrases(`
  not sure, im not sure, i am not sure, i dont know, dunno, maybe, perhaps, no idea, i have no idea
`);
const NEGATORS = new Set(['not', 'dont', 'isnt', 'wasnt', 'never']);

type Answer = boolean | null;

const PHRASES = new Map<string, Answer>();
for (const p of YES) PHRASES.set(p, true);
for (const p of NO) PHRASES.set(p, false);
for (const p of NEITHER) PHRASES.set(p, null);
const LONGEST = Math.max(...[...PHRASES.keys()].map((p) => p.split(' ').length));

/** Stretched spellings: "yesss", "noooo", "yeahh", "nopee". */
function canonical(word: string): string {
  if (/^ye+s+$/u.test(word)) return 'yes';
  if (/^no+$/u.test(word)) return 'no';
  if (/^yea+h+$/u.test(word)) return 'yeah';
  if (/^(yu+p+|ye+p+)$/u.test(word)) return 'yep';
  if (/^no+pe+$/u.test(word)) return 'nope';
  if (/^na+h+$/u.test(word)) return 'nah';
  if (/^o+k+a*y*$/u.test(word) && word !== 'oky') return word.includes('a') ? 'okay' : 'ok';
  return word;
}

export function extractYesNo(text: string | Utterance): Extraction<boolean> | undefined {
  const u = Utterance.of(text);
  const tokens: readonly Token[] = u.words;
  const norms = tokens.map((t) => canonical(t.norm));
  let answer: { value: Answer; start: number; end: number } | undefined;
  let i = 0;
  while (i < tokens.length) {
    let matched = 0;
    let value: Answer = null;
    for (let n = Math.min(LONGEST, tokens.length - i); n >= 1; n -= 1) {
      const v = PHRASES.get(norms.slice(i, i + n).join(' '));
      if (v !== undefined) {
        matched = n;
        value = v;
        break;
      }
    }
    if (matched === 0) {
      i += 1;
      continue;
    }
    const negated = value === true && NEGATORS.has(norms[i - 1] ?? '');
    const first = tokens[negated ? i - 1 : i];
    const last = tokens[i + matched - 1];
    if (first && last) answer = { value: negated ? false : value, start: first.start, end: last.end };
    i += matched;
  }
  if (!answer || answer.value === null) return undefined;
  return extraction(u.text, answer.value, answer.start, answer.end);
}
