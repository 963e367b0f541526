/** SRGS XML grammars (inline in a document or fetched) read into rule trees; namespaces are not checked. */
import { attr, childNodes, childElements, isElement, type Element } from '../xml-dom.ts';
import { parseRepeat, words, type Expansion, type RuleGrammar } from './rule-grammar.ts';

function expansionOf(node: Element, mode: 'voice' | 'dtmf'): Expansion {
  switch (node.localName) {
    case 'item': {
      const inner = sequence(node, mode);
      const repeat = attr(node, 'repeat');
      const r = repeat ? parseRepeat(repeat) : undefined;
      return r ? { k: 'repeat', min: r.min, max: r.max, exp: inner } : inner;
    }
    case 'one-of':
      return { k: 'alt', items: childElements(node, 'item').map((i) => expansionOf(i, mode)) };
    case 'token':
      return { k: 'token', words: words(node.textContent ?? '', mode) };
    case 'tag':
      return { k: 'tag', text: node.textContent ?? '' };
    case 'ruleref': {
      const special = attr(node, 'special');
      if (special === 'NULL') return { k: 'null' };
      if (special === 'VOID') return { k: 'void' };
      if (special === 'GARBAGE') return { k: 'garbage' };
      const uri = attr(node, 'uri') ?? '';
      return uri.startsWith('#') ? { k: 'ref', rule: uri.slice(1) } : { k: 'external', uri };
    }
    default:
      return { k: 'void' };
  }
}

function sequence(parent: Element, mode: 'voice' | 'dtmf'): Expansion {
  const items: Expansion[] = [];
  for (const child of childNodes(parent)) {
    if (isElement(child)) {
      if (child.localName !== 'example') items.push(expansionOf(child, mode));
    } else {
      const w = words(child.nodeValue ?? '', mode);
      if (w.length) items.push({ k: 'token', words: w });
    }
  }
  return items.length === 1 && items[0] ? items[0] : { k: 'seq', items };
}

/** Reads a `<grammar>` element with rules; undefined when it has none. */
export function srgsFromElement(grammar: Element, defaultMode: 'voice' | 'dtmf' = 'voice'): RuleGrammar | undefined {
  const mode = attr(grammar, 'mode') === 'dtmf' ? 'dtmf' : attr(grammar, 'mode') === 'voice' ? 'voice' : defaultMode;
  const rules = new Map<string, Expansion>();
  const ruleElements = childElements(grammar, 'rule');
  for (const rule of ruleElements) rules.set(attr(rule, 'id') ?? '', sequence(rule, mode));
  if (rules.size === 0) return undefined;
  const firstPublic = ruleElements.find((r) => attr(r, 'scope') === 'public') ?? ruleElements[0];
  const root = attr(grammar, 'root') ?? attr(firstPublic as Element, 'id') ?? '';
  const tagFormat = attr(grammar, 'tag-format');
  return tagFormat ? { rules, root, mode, tagFormat } : { rules, root, mode };
}
