import { DOMParser, type Node } from '@xmldom/xmldom';

/**
 * SSML reduced to what a plain-text synthesiser can say: text pieces and pauses. `<break>` becomes a pause,
 * `<say-as interpret-as="digits|characters|telephone">` spells its content out, `<sub alias>` says the
 * alias, `<p>` and `<s>` end a sentence, and other elements say their text. Malformed SSML loses its tags.
 */
export type SpeechSegment = { type: 'text'; text: string } | { type: 'pause'; durationMs: number };

export function isSsml(text: string): boolean {
  return /^\s*(<\?xml[^>]*>\s*)?<speak[\s>]/.test(text);
}

const STRENGTH_MS: Readonly<Record<string, number>> = { none: 0, 'x-weak': 100, weak: 200, medium: 400, strong: 700, 'x-strong': 1000 };

export function ssmlToSegments(ssml: string): SpeechSegment[] {
  const out: SpeechSegment[] = [];
  let text = '';
  const flush = (): void => {
    const t = text.replace(/\s+/g, ' ').trim();
    if (t) out.push({ type: 'text', text: t });
    text = '';
  };
  const visit = (node: Node): void => {
    if (node.nodeType === 3 || node.nodeType === 4) {
      text += node.nodeValue ?? '';
      return;
    }
    if (node.nodeType !== 1) return;
    const el = node as unknown as { localName: string; getAttribute(name: string): string | null; textContent: string | null };
    switch (el.localName) {
      case 'break': {
        const durationMs = parseTime(el.getAttribute('time')) ?? STRENGTH_MS[el.getAttribute('strength') ?? 'medium'] ?? 400;
        flush();
        if (durationMs > 0) out.push({ type: 'pause', durationMs });
        return;
      }
      case 'say-as': {
        const how = el.getAttribute('interpret-as') ?? '';
        const content = el.textContent ?? '';
        text += ['digits', 'characters', 'telephone', 'spell-out'].includes(how) ? ` ${spell(content)} ` : content;
        return;
      }
      case 'sub':
        text += el.getAttribute('alias') ?? el.textContent ?? '';
        return;
      case 'p':
      case 's':
        text += ' ';
        for (let c = node.firstChild; c; c = c.nextSibling) visit(c);
        if (!/[.!?]\s*$/.test(text)) text += '.';
        text += ' ';
        return;
      default:
        for (let c = node.firstChild; c; c = c.nextSibling) visit(c);
    }
  };
  try {
    const parser = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') throw new Error(message);
      },
    });
    const doc = parser.parseFromString(ssml, 'text/xml');
    if (!doc.documentElement) throw new Error('no root element');
    visit(doc.documentElement);
  } catch {
    out.length = 0;
    text = ssml.replace(/<[^>]*>/g, ' ').replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e] ?? ' ');
  }
  flush();
  return out;
}

/** The segments of a prompt that is plain text or SSML. */
export function speechSegments(text: string, ssml: boolean): SpeechSegment[] {
  if (ssml || isSsml(text)) return ssmlToSegments(text);
  const t = text.replace(/\s+/g, ' ').trim();
  return t ? [{ type: 'text', text: t }] : [];
}

/** Splits text into sentences, so that a synthesiser can start speaking before the whole prompt is rendered. */
export function sentences(text: string): string[] {
  return text.split(/(?<=[.!?;:])\s+(?=\S)/).map((s) => s.trim()).filter(Boolean);
}

function parseTime(value: string | null): number | undefined {
  const m = value ? /^\s*([0-9]*\.?[0-9]+)\s*(ms|s)\s*$/.exec(value) : null;
  if (!m) return undefined;
  const n = Number(m[1]);
  return Math.round(m[2] === 's' ? n * 1000 : n);
}

function spell(content: string): string {
  return [...content.replace(/\s+/g, '')].join(' ');
}
