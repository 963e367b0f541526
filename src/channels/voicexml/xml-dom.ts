/**
 * Reading XML for the VoiceXML channel (SSML prompts, documents in the simulator, applications to import):
 * a strict parse with @xmldom/xmldom and a few typed helpers over its DOM.
 */
import { DOMParser, type Document, type Element, type Node } from '@xmldom/xmldom';

export type { Document, Element, Node };

export class XmlParseError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'XmlParseError';
  }
}

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;

/**
 * Parses an XML string; malformed XML throws `XmlParseError`, nothing is logged. `assumeNamespaces` maps
 * prefixes the source may use without declaring them (vendor SSML such as `amazon:effect`).
 */
export function parseXml(source: string, assumeNamespaces: Record<string, string> = {}): Document {
  const parser = new DOMParser({
    xmlns: assumeNamespaces,
    onError: (level, message) => {
      if (level !== 'warning') throw new XmlParseError(message);
    },
  });
  try {
    const doc = parser.parseFromString(source, 'text/xml');
    if (!doc.documentElement) throw new XmlParseError('no root element');
    return doc;
  } catch (cause) {
    if (cause instanceof XmlParseError) throw cause;
    throw new XmlParseError(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

export function isElement(node: Node): node is Element {
  return node.nodeType === ELEMENT_NODE;
}

export function isText(node: Node): boolean {
  return node.nodeType === TEXT_NODE || node.nodeType === CDATA_SECTION_NODE;
}

/** Child nodes as an array (elements and text, comments and processing instructions left out). */
export function childNodes(parent: Node): Node[] {
  const out: Node[] = [];
  for (let child = parent.firstChild; child; child = child.nextSibling) {
    if (isElement(child) || isText(child)) out.push(child);
  }
  return out;
}

export function childElements(parent: Node, localName?: string): Element[] {
  const out: Element[] = [];
  for (let child = parent.firstChild; child; child = child.nextSibling) {
    if (isElement(child) && (localName === undefined || child.localName === localName)) out.push(child);
  }
  return out;
}

/** An attribute's value, or undefined when absent (the DOM's `getAttribute` gives null). */
export function attr(element: Element, name: string): string | undefined {
  return element.hasAttribute(name) ? (element.getAttribute(name) ?? undefined) : undefined;
}

export function attributes(element: Element): Array<{ name: string; value: string }> {
  const out: Array<{ name: string; value: string }> = [];
  for (let i = 0; i < element.attributes.length; i++) {
    const a = element.attributes.item(i);
    if (a) out.push({ name: a.name, value: a.value });
  }
  return out;
}

/** All the text below a node, concatenated. */
export function textContent(node: Node): string {
  return node.textContent ?? '';
}

/** The source line of a node (1-based), when the parser recorded it. */
export function lineOf(node: Node): number | undefined {
  const line = (node as Node & { lineNumber?: number }).lineNumber;
  return typeof line === 'number' ? line : undefined;
}
