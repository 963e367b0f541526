/**
 * What an inline grammar lets the caller say, as phrases: each top-level alternative of the root rule
 * becomes a choice (its value is its literal tag, else its first phrase) with the phrases it expands to.
 * Used for intent utterances (menu choices) and list entity values (fields). Expansion is bounded.
 */
import { attr, childElements, textContent, type Element } from '../xml-dom.ts';
import { parseAbnf } from '../simulator/abnf.ts';
import type { Expansion, RuleGrammar } from '../simulator/rule-grammar.ts';
import { srgsFromElement } from '../simulator/srgs-xml.ts';

export interface GrammarChoice {
  value: string;
  phrases: string[];
}

interface Path {
  words: string[];
  tags: string[];
}

const MAX_PATHS = 40;

/** A literal tag, or the value of a simple `out = 'x';` script tag. */
function tagValue(tag: string): string {
  const t = tag.trim();
  const quoted = /^out\s*=\s*(['"])(.*)\1\s*;?$/.exec(t);
  if (quoted) return quoted[2] ?? '';
  const bare = /^out\s*=\s*([\w.-]+)\s*;?$/.exec(t);
  return bare?.[1] ?? t;
}
const MAX_DEPTH = 12;

function expand(g: RuleGrammar, exp: Expansion, depth: number): Path[] {
  if (depth > MAX_DEPTH) return [];
  switch (exp.k) {
    case 'token':
      return [{ words: exp.words, tags: [] }];
    case 'tag':
      return [{ words: [], tags: [tagValue(exp.text)] }];
    case 'null':
    case 'garbage':
      return [{ words: [], tags: [] }];
    case 'void':
    case 'external':
      return [];
    case 'ref': {
      const rule = g.rules.get(exp.rule);
      return rule ? expand(g, rule, depth + 1) : [];
    }
    case 'alt':
      return exp.items.flatMap((i) => expand(g, i, depth + 1)).slice(0, MAX_PATHS);
    case 'repeat': {
      const once = expand(g, exp.exp, depth + 1);
      const paths: Path[] = exp.min === 0 ? [{ words: [], tags: [] }] : [];
      if (exp.max >= 1) paths.push(...once);
      return paths.slice(0, MAX_PATHS);
    }
    case 'seq': {
      let paths: Path[] = [{ words: [], tags: [] }];
      for (const item of exp.items) {
        const next = expand(g, item, depth + 1);
        paths = paths.flatMap((p) => next.map((n) => ({ words: [...p.words, ...n.words], tags: [...p.tags, ...n.tags] }))).slice(0, MAX_PATHS);
      }
      return paths;
    }
  }
}

/** The rule grammar of a `<grammar>` element with inline content; undefined for `src` grammars or unreadable ones. */
export function inlineGrammar(grammar: Element): RuleGrammar | undefined {
  if (attr(grammar, 'src') !== undefined || attr(grammar, 'srcexpr') !== undefined) return undefined;
  const mode = attr(grammar, 'mode') === 'dtmf' ? 'dtmf' : 'voice';
  try {
    if (childElements(grammar, 'rule').length) return srgsFromElement(grammar, mode);
    const text = textContent(grammar).trim();
    return text ? parseAbnf(text, mode) : undefined;
  } catch {
    return undefined;
  }
}

export function grammarChoices(g: RuleGrammar): GrammarChoice[] {
  const root = g.rules.get(g.root);
  if (!root) return [];
  const tops = root.k === 'alt' ? root.items : [root];
  const byValue = new Map<string, Set<string>>();
  for (const top of tops) {
    for (const path of expand(g, top, 0)) {
      const phrase = path.words.join(g.mode === 'dtmf' ? '' : ' ');
      if (!phrase) continue;
      const value = path.tags.filter(Boolean).at(-1) ?? phrase;
      const set = byValue.get(value) ?? new Set<string>();
      set.add(phrase);
      byValue.set(value, set);
    }
  }
  return [...byValue].map(([value, phrases]) => ({ value, phrases: [...phrases] }));
}
