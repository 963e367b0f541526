/**
 * SRGS rule grammars (from XML or ABNF) as a tree, and matching an utterance against them: the whole
 * utterance must be covered; `<tag>`s met on the way give the semantic result.
 */
import { ExpressionError, evaluate } from './expression.ts';

export type Expansion =
  | { k: 'token'; words: string[] }
  | { k: 'seq'; items: Expansion[] }
  | { k: 'alt'; items: Expansion[] }
  | { k: 'repeat'; min: number; max: number; exp: Expansion }
  | { k: 'ref'; rule: string }
  | { k: 'external'; uri: string }
  | { k: 'tag'; text: string }
  | { k: 'null' }
  | { k: 'void' }
  | { k: 'garbage' };

export interface RuleGrammar {
  rules: Map<string, Expansion>;
  root: string;
  mode: 'voice' | 'dtmf';
  tagFormat?: string;
}

/** Words of an utterance or of grammar text: lower case, punctuation dropped (keys stay keys). */
export function words(text: string, mode: 'voice' | 'dtmf'): string[] {
  if (mode === 'dtmf') return text.replace(/\s+/g, '').split('').filter(Boolean);
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}'\s-]/gu, ' ')
    .split(/[\s-]+/)
    .map((w) => w.replace(/^'+|'+$/g, ''))
    .filter(Boolean);
}

/** `repeat` attribute / ABNF `<m-n>`: `3`, `2-5`, `2-`, `-4`. */
export function parseRepeat(spec: string): { min: number; max: number } | undefined {
  const m = /^\s*([0-9]*)\s*(-)?\s*([0-9]*)\s*$/.exec(spec);
  if (!m || (m[1] === '' && m[3] === '')) return undefined;
  const min = m[1] ? Number(m[1]) : 0;
  const max = m[2] ? (m[3] ? Number(m[3]) : Infinity) : min;
  return max >= min ? { min, max } : undefined;
}

interface State {
  pos: number;
  tags: string[];
}

const MAX_DEPTH = 64;

function* match(g: RuleGrammar, exp: Expansion, input: readonly string[], state: State, depth: number): Generator<State> {
  if (depth > MAX_DEPTH) return;
  switch (exp.k) {
    case 'token': {
      const { pos } = state;
      if (exp.words.every((w, i) => input[pos + i] === w)) yield { pos: pos + exp.words.length, tags: state.tags };
      return;
    }
    case 'seq':
      yield* matchSeq(g, exp.items, 0, input, state, depth);
      return;
    case 'alt':
      for (const item of exp.items) yield* match(g, item, input, state, depth + 1);
      return;
    case 'repeat':
      yield* matchRepeat(g, exp, 0, input, state, depth);
      return;
    case 'ref': {
      const rule = g.rules.get(exp.rule);
      if (rule) yield* match(g, rule, input, state, depth + 1);
      return;
    }
    case 'tag':
      yield { pos: state.pos, tags: [...state.tags, exp.text] };
      return;
    case 'null':
      yield state;
      return;
    case 'garbage':
      for (let end = input.length; end > state.pos; end--) yield { pos: end, tags: state.tags };
      return;
    case 'void':
    case 'external':
      return;
  }
}

function* matchSeq(g: RuleGrammar, items: Expansion[], i: number, input: readonly string[], state: State, depth: number): Generator<State> {
  const item = items[i];
  if (!item) {
    yield state;
    return;
  }
  for (const next of match(g, item, input, state, depth + 1)) yield* matchSeq(g, items, i + 1, input, next, depth);
}

function* matchRepeat(g: RuleGrammar, exp: { min: number; max: number; exp: Expansion }, count: number, input: readonly string[], state: State, depth: number): Generator<State> {
  if (count < exp.max) {
    for (const next of match(g, exp.exp, input, state, depth + 1)) {
      // A repetition that consumes nothing would loop forever.
      if (next.pos === state.pos && count >= exp.min) continue;
      yield* matchRepeat(g, exp, count + 1, input, next, depth + 1);
    }
  }
  if (count >= exp.min) yield state;
}

/** The semantic result of the tags met (literal tags, or simple `out = …` assignments). */
export function semanticResult(tags: readonly string[], tagFormat: string | undefined, utterance: string): unknown {
  const texts = tags.map((t) => t.trim()).filter(Boolean);
  if (texts.length === 0) return utterance;
  if (!tagFormat || tagFormat.startsWith('semantics/1.0-literals') || !tagFormat.startsWith('semantics/1.0')) return texts[texts.length - 1];
  let out: unknown = undefined;
  for (const text of texts) {
    for (const statement of text.split(';').map((s) => s.trim()).filter(Boolean)) {
      const m = /^out(?:\.([A-Za-z_$][\w$]*))?\s*=\s*([\s\S]+)$/.exec(statement);
      if (!m) continue;
      let value: unknown;
      try {
        value = evaluate(m[2] ?? '', (name) => {
          throw new ExpressionError(`${name} is not available in tags`);
        });
      } catch {
        continue;
      }
      if (m[1]) {
        const obj = out !== null && typeof out === 'object' ? (out as Record<string, unknown>) : {};
        obj[m[1]] = value;
        out = obj;
      } else {
        out = value;
      }
    }
  }
  return out === undefined ? utterance : out;
}

/** Matches the whole input against the grammar's root rule; undefined when it does not match. */
export function matchGrammar(g: RuleGrammar, input: readonly string[], utterance: string): { value: unknown } | undefined {
  const root = g.rules.get(g.root);
  if (!root) return undefined;
  for (const end of match(g, root, input, { pos: 0, tags: [] }, 0)) {
    if (end.pos === input.length) return { value: semanticResult(end.tags, g.tagFormat, utterance) };
  }
  return undefined;
}
