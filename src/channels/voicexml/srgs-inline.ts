/**
 * A bot author's inline SRGS XML grammar made fit for a VoiceXML document: elements moved into the
 * VoiceXML namespace (as the schema wants for inline grammars), rule ids renamed to be unique in the
 * document (they are XML IDs), attributes checked against the SRGS datatypes. A grammar that uses anything
 * else is refused with a reason rather than written invalid.
 */
import type { IdAllocator } from './grammars.ts';
import { attributes, childNodes, isElement, parseXml, type Element } from './xml-dom.ts';
import { el, type XmlElement, type XmlPart } from './xml-tree.ts';

type Check = (value: string) => boolean;
const pattern =
  (re: RegExp): Check =>
  (v) =>
    re.test(v);
const anything: Check = () => true;
const lang = pattern(/^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$/);

const itemAttrs: Record<string, Check> = {
  repeat: pattern(/^([0-9]+|[0-9]+-([0-9]+)?|([0-9]+)?-[0-9]+)$/),
  'repeat-prob': (v) => /^(0?\.[0-9]+|[01](\.0*)?)$/.test(v),
  weight: pattern(/^([0-9]+\.?|([0-9]+)?\.[0-9]+)$/),
  'xml:lang': lang,
};

class Refused extends Error {}

interface Ctx {
  ids: Map<string, string>;
}

function checkedAttrs(element: Element, allowed: Record<string, Check>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { name, value } of attributes(element)) {
    if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
    const check = allowed[name];
    if (!check) throw new Refused(`attribute ${name} on <${element.localName}> is not supported`);
    if (!check(value.trim())) throw new Refused(`${name}="${value}" on <${element.localName}> is not a valid value`);
    out[name] = value.trim();
  }
  return out;
}

function textOnly(element: Element): string {
  for (const child of childNodes(element)) if (isElement(child)) throw new Refused(`<${element.localName}> may hold text only`);
  return element.textContent ?? '';
}

function expansion(node: Element, ctx: Ctx): XmlElement {
  const name = node.localName ?? '';
  switch (name) {
    case 'item':
      return el('item', checkedAttrs(node, itemAttrs), expansions(node, ctx));
    case 'one-of': {
      const items = expansions(node, ctx);
      if (items.length === 0 || items.some((i) => typeof i === 'string' || i.name !== 'item')) throw new Refused('<one-of> must hold <item> elements only');
      return el('one-of', checkedAttrs(node, { 'xml:lang': lang }), items);
    }
    case 'token':
      return el('token', checkedAttrs(node, { 'xml:lang': lang }), [textOnly(node)]);
    case 'tag':
      return el('tag', checkedAttrs(node, {}), [textOnly(node)]);
    case 'ruleref': {
      const attrs = checkedAttrs(node, { uri: anything, special: pattern(/^(NULL|VOID|GARBAGE)$/), type: anything });
      const uri = attrs.uri;
      if (uri?.startsWith('#')) {
        const renamed = ctx.ids.get(uri.slice(1));
        if (!renamed) throw new Refused(`<ruleref uri="${uri}"> names no rule of the grammar`);
        attrs.uri = `#${renamed}`;
      }
      if (!attrs.uri && !attrs.special) throw new Refused('<ruleref> needs uri or special');
      return el('ruleref', attrs, []);
    }
    default:
      throw new Refused(`<${name}> is not an SRGS rule expansion`);
  }
}

function expansions(parent: Element, ctx: Ctx): XmlPart[] {
  const out: XmlPart[] = [];
  for (const child of childNodes(parent)) {
    if (!isElement(child)) {
      const text = child.nodeValue ?? '';
      if (text.trim()) out.push(text);
      continue;
    }
    if (child.localName === 'example' && parent.localName === 'rule') {
      out.push(el('example', {}, [textOnly(child)]));
      continue;
    }
    out.push(expansion(child, ctx));
  }
  return out;
}

export type InlineSrgs = { attrs: Record<string, string>; children: XmlElement[] } | { error: string };

export function srgsFromXml(source: string, mode: 'voice' | 'dtmf', ids: IdAllocator): InlineSrgs {
  let root: Element;
  try {
    const doc = parseXml(source.replace(/^<\?xml[^>]*\?>/, '').trim());
    const element = doc.documentElement;
    if (!element || element.localName !== 'grammar') return { error: 'the root element is not <grammar>' };
    root = element;
  } catch (cause) {
    return { error: `not well-formed XML (${cause instanceof Error ? cause.message : String(cause)})` };
  }
  try {
    const ctx: Ctx = { ids: new Map() };
    const rules = childNodes(root).filter(isElement).filter((e) => e.localName === 'rule');
    for (const rule of rules) {
      const id = rule.getAttribute('id') ?? '';
      if (!id) throw new Refused('a <rule> has no id');
      if (ctx.ids.has(id)) throw new Refused(`rule id ${id} is used twice`);
      ctx.ids.set(id, ids.next(id));
    }
    if (rules.length === 0) throw new Refused('the grammar has no <rule>');
    const head: XmlElement[] = [];
    const body: XmlElement[] = [];
    for (const child of childNodes(root)) {
      if (!isElement(child)) {
        if ((child.nodeValue ?? '').trim()) throw new Refused('text directly inside <grammar>');
        continue;
      }
      const name = child.localName ?? '';
      if (name === 'rule') {
        const attrs = checkedAttrs(child, { id: anything, scope: pattern(/^(public|private)$/) });
        attrs.id = ctx.ids.get(attrs.id ?? '') ?? '';
        body.push(el('rule', attrs, expansions(child, ctx)));
      } else if (name === 'meta') head.push(el('meta', checkedAttrs(child, { name: anything, content: anything, 'http-equiv': anything }), []));
      else if (name === 'lexicon') head.push(el('lexicon', checkedAttrs(child, { uri: anything, type: anything }), []));
      else if (name === 'tag') head.push(el('tag', {}, [textOnly(child)]));
      else if (name === 'metadata') continue;
      else throw new Refused(`<${name}> is not allowed in <grammar>`);
    }
    const attrs: Record<string, string> = { mode, version: '1.0' };
    const declaredRoot = root.getAttribute('root');
    const firstPublic = rules.find((r) => r.getAttribute('scope') === 'public') ?? rules[0];
    const rootId = declaredRoot ? ctx.ids.get(declaredRoot) : ctx.ids.get(firstPublic?.getAttribute('id') ?? '');
    if (!rootId) throw new Refused(`root="${declaredRoot ?? ''}" names no rule of the grammar`);
    attrs.root = rootId;
    const tagFormat = root.getAttribute('tag-format');
    if (tagFormat) attrs['tag-format'] = tagFormat;
    const language = root.getAttribute('xml:lang');
    if (language && lang(language)) attrs['xml:lang'] = language;
    return { attrs, children: [...head, ...body] };
  } catch (error) {
    if (error instanceof Refused) return { error: error.message };
    throw error;
  }
}
