/**
 * VoiceXML prompt content → a bot prompt: the words as `text` (with `{{…}}` for `<value>`), and, when the
 * prompt carries SSML markup (breaks, emphasis, say-as…), the same as `voice` inside `<speak>`.
 */
import type { PromptOut } from './bot-shape.ts';
import { attr, attributes, childNodes, isElement, textContent, type Element, type Node } from '../xml-dom.ts';
import { translateExpression, type VariableMap } from './expressions.ts';

const SSML = new Set(['break', 'emphasis', 'prosody', 'say-as', 'audio', 's', 'p', 'voice', 'sub', 'phoneme', 'mark']);

export interface PromptContext {
  vars: VariableMap;
  /** Texts of the menu's choices, for `<enumerate/>`. */
  choices?: string[];
  /** Told about content that is left out. */
  drop: (node: Node, reason: string) => void;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttr(text: string): string {
  return escapeXml(text).replace(/"/g, '&quot;');
}

interface Rendered {
  text: string;
  voice: string;
  markup: boolean;
}

function valueOf(node: Element, ctx: PromptContext): string {
  const expr = attr(node, 'expr') ?? '';
  const translated = translateExpression(expr, ctx.vars);
  if (translated === undefined) {
    ctx.drop(node, `<value expr="${expr}"> cannot be written in the bot expression language; left out`);
    return '';
  }
  return `{{${translated}}}`;
}

function render(nodes: readonly Node[], ctx: PromptContext): Rendered {
  const out: Rendered = { text: '', voice: '', markup: false };
  const add = (r: Rendered) => {
    out.text += r.text;
    out.voice += r.voice;
    out.markup ||= r.markup;
  };
  for (const node of nodes) {
    if (!isElement(node)) {
      const t = node.nodeValue ?? '';
      add({ text: t, voice: escapeXml(t), markup: false });
      continue;
    }
    const name = node.localName ?? '';
    if (name === 'value') {
      const v = valueOf(node, ctx);
      add({ text: v, voice: escapeXml(v), markup: false });
    } else if (name === 'enumerate') {
      if (!ctx.choices) ctx.drop(node, '<enumerate> outside a menu; left out');
      const list = (ctx.choices ?? []).join(', ');
      add({ text: list, voice: escapeXml(list), markup: false });
    } else if (SSML.has(name)) {
      const inner = render(childNodes(node), ctx);
      const attrs = attributes(node)
        .filter((a) => !a.name.startsWith('xmlns') && a.name !== 'expr' && !a.name.startsWith('fetch') && a.name !== 'maxage' && a.name !== 'maxstale')
        .map((a) => ` ${a.name}="${escapeAttr(a.value)}"`)
        .join('');
      const text = name === 'sub' ? (attr(node, 'alias') ?? inner.text) : name === 'break' ? ' ' : inner.text;
      const voice = inner.voice || name === 'break' || name === 'mark' || name === 'audio' ? `<${name}${attrs}>${inner.voice}</${name}>` : '';
      add({ text, voice: voice.replace(/<(break|mark)([^>]*)><\/\1>/g, '<$1$2/>'), markup: true });
      if (name === 'audio' && attr(node, 'expr') !== undefined) ctx.drop(node, '<audio expr> is not carried over; left out');
    } else if (name === 'desc' || name === 'meta' || name === 'metadata' || name === 'lexicon') {
      continue;
    } else {
      ctx.drop(node, `<${name}> inside a prompt is not carried over; its text is kept`);
      add({ text: textContent(node), voice: escapeXml(textContent(node)), markup: false });
    }
  }
  return out;
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The bot prompt for some prompt content; undefined when it says nothing. */
export function promptFrom(nodes: readonly Node[], ctx: PromptContext): PromptOut | undefined {
  const r = render(nodes, ctx);
  const text = squash(r.text);
  if (!text && !r.markup) return undefined;
  if (!r.markup) return text;
  return { text, voice: `<speak>${squash(r.voice)}</speak>` };
}

/** Joins consecutive prompts into one (as one message node). */
export function joinPrompts(prompts: readonly PromptOut[]): PromptOut | undefined {
  if (prompts.length === 0) return undefined;
  if (prompts.length === 1) return prompts[0];
  const text = prompts.map((p) => (typeof p === 'string' ? p : p.text)).join(' ');
  if (prompts.every((p) => typeof p === 'string')) return text;
  const voice = prompts.map((p) => (typeof p === 'string' ? escapeXml(p) : (p.voice ?? escapeXml(p.text)).replace(/^<speak>|<\/speak>$/g, ''))).join(' ');
  return { text, voice: `<speak>${voice}</speak>` };
}
