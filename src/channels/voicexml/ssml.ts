/**
 * SSML (a bot prompt's `voice` variant) mapped to the content a VoiceXML 2.1 `<prompt>` may hold.
 *
 * The schema's content models are followed element by element: `p`/`s`/`voice`/`prosody`/`audio`/
 * `emphasis`/`sub`/`say-as`/`phoneme`/`break`/`mark` are kept where they are allowed and with the
 * attributes whose values the schema accepts; anything else (unknown or vendor elements, an element where
 * its parent may not hold it, a missing required attribute) is unwrapped to its content, so the result is
 * always valid. Markup that cannot be parsed gives `undefined`: the caller then speaks the plain text.
 */
import { attributes, childNodes, isElement, parseXml, type Element, type Node } from './xml-dom.ts';
import type { XmlElement, XmlPart } from './xml-tree.ts';

export type PromptPart = XmlPart;
type PromptElement = XmlElement;

/** What an element may contain. */
type Content = 'structure' | 'paragraph' | 'sentence' | 'text' | 'empty' | 'audio';

const NUM = '([0-9]+|[0-9]+\\.[0-9]*|[0-9]*\\.[0-9]+)';
const re = (source: string): RegExp => new RegExp(`^(?:${source})$`);
const duration = re('\\+?([0-9]*\\.)?[0-9]+(ms|s)');
const hertz = `${NUM}Hz|[+-]${NUM}Hz`;
const percent = `[+-]?${NUM}%`;
const semitone = `[+-]${NUM}st`;
const height = 'x-high|high|medium|low|x-low|default';
const pitch = re(`${hertz}|${percent}|${semitone}|${height}`);
const rate = re(`${NUM}|${percent}|x-fast|fast|medium|slow|x-slow|default`);
const volume = re(`${NUM}|[+-]${NUM}|${percent}|silent|x-soft|soft|medium|loud|x-loud|default`);
const contour = re(`(\\(${NUM}%,(${hertz}|${percent}|${semitone}|${height})\\)\\s*)+`);
const nmtoken = /^[\p{L}\p{N}._:-]+$/u;
const language = /^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$/;
const nonEmpty = /\S/;

type Check = (value: string) => boolean;
const matches =
  (pattern: RegExp): Check =>
  (value) =>
    pattern.test(value.trim());
const oneOf =
  (...values: string[]): Check =>
  (value) =>
    values.includes(value.trim());

interface Rule {
  content: Content;
  attrs: Record<string, Check>;
  required?: string[];
  /** May appear inside a sentence (`aws` in the schema) or only as structure. */
  inSentence: boolean;
}

const lang = { 'xml:lang': matches(language) };

const rules: Record<string, Rule> = {
  p: { content: 'paragraph', attrs: lang, inSentence: false },
  s: { content: 'sentence', attrs: lang, inSentence: false },
  voice: {
    content: 'structure',
    attrs: {
      ...lang,
      gender: oneOf('male', 'female', 'neutral'),
      age: matches(/^[0-9]+$/),
      variant: matches(/^0*[1-9][0-9]*$/),
      name: matches(nonEmpty),
    },
    inSentence: true,
  },
  prosody: {
    content: 'structure',
    attrs: { pitch: matches(pitch), range: matches(pitch), rate: matches(rate), volume: matches(volume), duration: matches(duration), contour: matches(contour) },
    inSentence: true,
  },
  audio: { content: 'audio', attrs: { src: matches(nonEmpty) }, inSentence: true },
  emphasis: { content: 'sentence', attrs: { level: oneOf('strong', 'moderate', 'none', 'reduced') }, inSentence: true },
  sub: { content: 'text', attrs: { alias: () => true }, required: ['alias'], inSentence: true },
  'say-as': { content: 'text', attrs: { 'interpret-as': matches(nmtoken), format: matches(nmtoken), detail: matches(nmtoken) }, required: ['interpret-as'], inSentence: true },
  phoneme: { content: 'text', attrs: { ph: () => true, alphabet: matches(/^(ipa|x-.*)$/) }, required: ['ph'], inSentence: true },
  break: { content: 'empty', attrs: { time: matches(duration), strength: oneOf('none', 'x-weak', 'weak', 'medium', 'strong', 'x-strong') }, inSentence: true },
  mark: { content: 'empty', attrs: { name: matches(nonEmpty) }, inSentence: true },
};

/** Elements in these namespaces (or none) are SSML; any other namespace is a vendor extension. */
const ssmlNamespaces = new Set(['http://www.w3.org/2001/10/synthesis', 'http://www.w3.org/2001/vxml']);

/** Elements dropped with their content: metadata, and descriptions outside `<audio>`. */
const dropped = new Set(['meta', 'metadata', 'lexicon', 'desc']);

function allowedIn(content: Content, name: string, rule: Rule): boolean {
  switch (content) {
    case 'structure':
    case 'audio':
      return true;
    case 'paragraph':
      return rule.inSentence || name === 's';
    case 'sentence':
      return rule.inSentence;
    case 'text':
    case 'empty':
      return false;
  }
}

function keptAttributes(element: Element, rule: Rule): Record<string, string> | undefined {
  const attrs: Record<string, string> = {};
  for (const { name, value } of attributes(element)) {
    const check = rule.attrs[name];
    if (check?.(value)) attrs[name] = name === 'alias' || name === 'ph' ? value : value.trim();
  }
  for (const name of rule.required ?? []) if (attrs[name] === undefined) return undefined;
  return attrs;
}

function mapChildren(parent: Node, content: Content): PromptPart[] {
  if (content === 'empty') return [];
  const out: PromptPart[] = [];
  for (const child of childNodes(parent)) {
    if (!isElement(child)) {
      const text = child.nodeValue ?? '';
      if (text) out.push(text);
      continue;
    }
    const ns = child.namespaceURI;
    const name = ns && !ssmlNamespaces.has(ns) ? `vendor:${child.localName}` : (child.localName ?? child.nodeName);
    if (name === 'desc' && content === 'audio') {
      const desc: PromptElement = { name: 'desc', attrs: {}, children: [child.textContent ?? ''] };
      out.push(desc);
      continue;
    }
    if (dropped.has(name)) continue;
    const rule = rules[name];
    const attrs = rule && content !== 'text' && allowedIn(content, name, rule) ? keptAttributes(child, rule) : undefined;
    if (!rule || !attrs) {
      // Not allowed here: keep what it says, in the parent's content model.
      out.push(...(content === 'text' ? [child.textContent ?? ''] : mapChildren(child, content)));
      continue;
    }
    const children = rule.content === 'text' ? [child.textContent ?? ''] : mapChildren(child, rule.content);
    out.push({ name, attrs, children: children.filter((c) => c !== '') });
  }
  return mergeText(out);
}

function mergeText(parts: PromptPart[]): PromptPart[] {
  const out: PromptPart[] = [];
  for (const part of parts) {
    const last = out[out.length - 1];
    if (typeof part === 'string' && typeof last === 'string') out[out.length - 1] = last + part;
    else out.push(part);
  }
  return out;
}

/** Does this voice variant carry markup (rather than plain words)? */
export function looksLikeSsml(voice: string): boolean {
  return /<[A-Za-z!?/]/.test(voice);
}

/**
 * The `<prompt>` content for a voice variant: plain text as one text part, SSML mapped element by
 * element. Returns undefined when the markup is not well-formed XML.
 */
export function ssmlToPromptParts(voice: string): PromptPart[] | undefined {
  if (!looksLikeSsml(voice)) return [voice];
  const trimmed = voice.trim();
  const source = /^<speak[\s>/]/.test(trimmed) ? trimmed : `<speak>${trimmed}</speak>`;
  let root: Element;
  try {
    const prefixes = new Set([...source.matchAll(/<\/?([A-Za-z_][\w.-]*):/g)].map((m) => m[1] ?? '').filter((p) => p !== 'xml'));
    const assumed = Object.fromEntries([...prefixes].map((p) => [p, `urn:x-ssml-vendor:${p}`]));
    const doc = parseXml(source.replace(/^<\?xml[^>]*\?>/, ''), assumed);
    const element = doc.documentElement;
    if (!element) return undefined;
    root = element;
  } catch {
    return undefined;
  }
  return mapChildren(root, 'structure');
}

/** The words a prompt part list speaks, for text-only uses (logs of the simulator, transcripts). */
export function promptPartsText(parts: readonly PromptPart[]): string {
  return parts
    .map((p) => (typeof p === 'string' ? p : p.name === 'sub' ? (p.attrs.alias ?? '') : p.name === 'desc' ? '' : promptPartsText(p.children)))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}
