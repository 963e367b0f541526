/**
 * The `email` entity, typed ("John.Smith@example.com") or spoken ("john dot smith at example dot com",
 * "j o h n underscore smith at gmail dot com", "mary dash ann at my dash site dot co dot uk").
 *
 * Typed and spoken forms go through the same token walk: "dot"/"." → ".", "underscore"/"_" → "_",
 * "dash"/"hyphen"/"-" → "-", "plus"/"+" → "+", "at"/"@" → "@". Spoken words of the local part with no
 * connector between them are joined ("john smith at …" → "johnsmith@…") back to a word that cannot be part
 * of an address ("my email is", "it's", "send it to"); number words become digits ("john two five" → john25).
 * The domain needs at least one dot and an alphabetic top-level label. The value is lower-cased.
 */
import { extraction, type Extraction } from './extraction.ts';
import { lookup } from './lookup.ts';
import { readGroup } from './spoken-numbers.ts';
import { FILLERS, type Token } from './tokens.ts';
import { Utterance } from './utterance.ts';

const CONNECTORS = lookup({
  dot: '.',
  period: '.',
  point: '.',
  '.': '.',
  underscore: '_',
  _: '_',
  dash: '-',
  hyphen: '-',
  '-': '-',
  plus: '+',
  '+': '+',
});
const AT = new Set(['at', '@']);
const STOP = new Set([
  'is',
  'its',
  'email',
  'mail',
  'address',
  'my',
  'me',
  'to',
  'at',
  'use',
  'the',
  'a',
  'an',
  'and',
  'or',
  'please',
  'yes',
  'yeah',
  'sure',
  'it',
  'thats',
  'that',
  'be',
  'should',
  'would',
  'try',
  'send',
  'was',
  'i',
  'im',
  'so',
  'ok',
  'okay',
  'well',
  'actually',
  'sorry',
  'no',
  'new',
  'old',
  'like',
  'just',
  'change',
  'make',
  'update',
  'on',
  'under',
  'reach',
  'contact',
  'write',
  'you',
  'can',
  'with',
]);
const MAX_UNLINKED_WORDS = 3;
const VALID =
  /^[a-z0-9](?:[a-z0-9._%+-]*[a-z0-9_%+-])?@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,}$/u;

const key = (t: Token): string => (t.kind === 'word' ? t.norm : t.text);
const isItem = (t: Token | undefined): t is Token =>
  t !== undefined && (t.kind === 'word' || t.kind === 'numeral');

/** An item at token `j` going forward: a number said in words becomes digits. */
function itemForward(tokens: readonly Token[], j: number): { text: string; last: number } | undefined {
  const t = tokens[j];
  if (!isItem(t) || key(t) in CONNECTORS || AT.has(key(t))) return undefined;
  const g = t.kind === 'word' ? readGroup(tokens, j, true) : undefined;
  if (g?.digits !== undefined && !g.oh) return { text: g.digits, last: g.last };
  return { text: t.kind === 'word' ? t.norm : t.text, last: j };
}

function domainAfter(tokens: readonly Token[], at: number): { domain: string; last: number } | undefined {
  const item = itemForward(tokens, at + 1);
  if (!item) return undefined;
  let domain = item.text;
  let last = item.last;
  let dots = 0;
  for (;;) {
    const c = tokens[last + 1];
    const sep = c ? CONNECTORS[key(c)] : undefined;
    if (sep !== '.' && sep !== '-') break;
    const next = itemForward(tokens, last + 2);
    if (!next) break;
    domain += sep + next.text;
    last = next.last;
    if (sep === '.') dots += 1;
  }
  // "at home" is no domain: it needs a dot ("gmail dot com")
  if (dots === 0) return undefined;
  return { domain, last };
}

/** Where the local part before token `at` starts, walking back to a word that cannot be part of it. */
function localStart(tokens: readonly Token[], at: number): number {
  let first = -1;
  let unlinked = 0;
  let linkedToNext = true;
  for (let j = at - 1; j >= 0; j -= 1) {
    const t = tokens[j];
    if (!t) break;
    const k = key(t);
    if (CONNECTORS[k] !== undefined && first >= 0) {
      if (!isItem(tokens[j - 1])) break;
      linkedToNext = true;
      continue;
    }
    if (!isItem(t) || AT.has(k)) break;
    if (t.kind === 'word' && FILLERS.has(k)) continue;
    const next = tokens[first];
    const written = next !== undefined && t.end === next.start;
    if (first < 0 && t.kind === 'word' && STOP.has(k) && k.length > 1) return -1;
    // a spelled-out name ("j a n e") joins letter by letter, whatever the letters are
    const spelled = k.length === 1 && next !== undefined && key(next).length === 1;
    if (first >= 0 && !linkedToNext && !written && !spelled) {
      if (STOP.has(k) || unlinked >= MAX_UNLINKED_WORDS) break;
      unlinked += 1;
    }
    first = j;
    linkedToNext = false;
  }
  return first;
}

function localBefore(tokens: readonly Token[], at: number): { local: string; first: number } | undefined {
  const first = localStart(tokens, at);
  if (first < 0) return undefined;
  let local = '';
  let j = first;
  while (j < at) {
    const t = tokens[j];
    if (!t) break;
    const connector = CONNECTORS[key(t)];
    if (connector !== undefined) {
      local += connector;
      j += 1;
      continue;
    }
    const item = t.kind === 'word' && FILLERS.has(t.norm) ? undefined : itemForward(tokens, j);
    if (item) {
      local += item.text;
      j = item.last + 1;
    } else {
      j += 1;
    }
  }
  return { local, first };
}

export function extractEmail(text: string | Utterance): Extraction<string> | undefined {
  const u = Utterance.of(text);
  const tokens = u.tokens;
  for (let i = 0; i < tokens.length; i += 1) {
    const t = tokens[i];
    if (!t || !AT.has(key(t))) continue;
    const domain = domainAfter(tokens, i);
    const local = localBefore(tokens, i);
    if (!domain || !local) continue;
    const value = `${local.local}@${domain.domain}`.toLowerCase();
    const start = tokens[local.first]?.start;
    const end = tokens[domain.last]?.end;
    if (!VALID.test(value) || start === undefined || end === undefined) continue;
    return extraction(u.text, value, start, end);
  }
  return undefined;
}
