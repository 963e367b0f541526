/**
 * A small XML tree (element name, attributes, children) for content the renderer builds before writing it
 * with xmlbuilder2: prompt content mapped from SSML, grammar rules.
 */
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlPart[];
}

export type XmlPart = string | XmlElement;

export function el(name: string, attrs: Record<string, string> = {}, children: XmlPart[] = []): XmlElement {
  return { name, attrs, children };
}

/** Writes the parts as children of `parent` (in the parent's namespace). */
export function appendParts(parent: XMLBuilder, parts: readonly XmlPart[]): void {
  for (const part of parts) {
    if (typeof part === 'string') {
      if (part !== '') parent.txt(part);
      continue;
    }
    const child = parent.ele(part.name, part.attrs);
    appendParts(child, part.children);
  }
}

/** Whether `tag` has the form of an `xml:lang` value (a BCP 47 language tag): documents leave others out. */
export function isLanguageTag(tag: string): boolean {
  return /^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$/.test(tag);
}
