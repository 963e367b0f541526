/**
 * The `regex` entity: the first match of the bot's pattern (case-insensitive). When the text as said does
 * not match, it is tried again with spelled letters and spoken digits joined ("A B one two three four" →
 * "AB1234"), the way a recogniser writes a policy or booking reference.
 */
import { extraction, type Extraction } from './extraction.ts';
import { rewrite } from './mapped-text.ts';
import type { Token } from './tokens.ts';
import { Utterance } from './utterance.ts';

const compiled = new Map<string, RegExp>();

/** Compiles a bot pattern once; throws SyntaxError on an invalid one. */
export function compilePattern(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) {
    re = new RegExp(pattern, 'i');
    compiled.set(pattern, re);
  }
  return re;
}

/** The text with spelled letters and spoken digits written together. */
function compact(u: Utterance): ReturnType<typeof rewrite> {
  const { tokens, digitRuns: runs } = u;
  const items: Array<{ first: number; last: number; text: string }> = [];
  let r = 0;
  for (let i = 0; i < tokens.length; i += 1) {
    const run = runs[r];
    if (run && run.first === i) {
      items.push({ first: i, last: run.last, text: run.digits });
      i = run.last;
      r += 1;
      continue;
    }
    const t: Token | undefined = tokens[i];
    if (t?.kind === 'word' && t.text.length === 1) items.push({ first: i, last: i, text: t.text });
  }
  const replacements: Array<{ start: number; end: number; text: string }> = [];
  let k = 0;
  while (k < items.length) {
    let j = k;
    while (items[j + 1] && items[j + 1]?.first === (items[j]?.last ?? -2) + 1) j += 1;
    const a = tokens[items[k]?.first ?? 0];
    const b = tokens[items[j]?.last ?? 0];
    if (j > k && a && b)
      replacements.push({
        start: a.start,
        end: b.end,
        text: items
          .slice(k, j + 1)
          .map((x) => x.text)
          .join(''),
      });
    else if (a && b && items[k]?.text !== a.text)
      replacements.push({ start: a.start, end: b.end, text: items[k]?.text ?? '' });
    k = j + 1;
  }
  return rewrite(u.text, replacements);
}

export function extractPattern(text: string | Utterance, pattern: string): Extraction<string> | undefined {
  const u = Utterance.of(text);
  const re = compilePattern(pattern);
  const direct = re.exec(u.text);
  if (direct) return extraction(u.text, direct[0], direct.index, direct.index + direct[0].length);
  const mapped = compact(u);
  const spoken = re.exec(mapped.text);
  if (!spoken) return undefined;
  const range = mapped.sourceRange(spoken.index, spoken.index + spoken[0].length);
  return { value: spoken[0], text: u.text.slice(range.start, range.end), start: range.start, end: range.end };
}
