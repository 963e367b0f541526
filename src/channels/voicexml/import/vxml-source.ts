/**
 * The VoiceXML application to import: the entry document and the local documents it references
 * (`next`/`src` URIs that are relative `.vxml` files beside it), their dialogs by id, and a list of what
 * could not be mapped, each with file and line.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { attr, childElements, lineOf, parseXml, XmlParseError, type Element, type Node } from '../xml-dom.ts';

export interface Unmapped {
  file: string;
  line?: number;
  element: string;
  reason: string;
}

export interface SourceDialog {
  /** Unique over the application; a valid Parley dialog id. */
  id: string;
  element: Element;
  file: string;
  kind: 'form' | 'menu';
}

export interface VxmlApplication {
  entryFile: string;
  /** Documents by path relative to the entry's folder. */
  documents: Map<string, Element>;
  dialogs: SourceDialog[];
  unmapped: Unmapped[];
  note(file: string, node: Node | undefined, reason: string): void;
  /** The dialog a `next`/`src` URI of a document names: `#id`, `other.vxml`, `other.vxml#id`. */
  resolve(file: string, uri: string): SourceDialog | undefined;
  dialogOf(element: Element): SourceDialog | undefined;
}

/** A Parley id (`^[A-Za-z][A-Za-z0-9_-]*$`) from any name. */
export function toId(name: string, fallback: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^[^A-Za-z]+/, '').replace(/_+$/, '');
  return cleaned || fallback;
}

function isLocalDocument(uri: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:/i.test(uri) && !uri.startsWith('/') && !uri.startsWith('#') && /\.vxml$/i.test(uri.split('#')[0] ?? '');
}

function referencedFiles(root: Element): string[] {
  const out: string[] = [];
  const walk = (e: Element) => {
    for (const name of ['next', 'src']) {
      const v = attr(e, name);
      if (v && isLocalDocument(v) && e.localName !== 'grammar' && e.localName !== 'audio') out.push(v.split('#')[0] ?? v);
    }
    for (const c of childElements(e)) walk(c);
  };
  walk(root);
  return out;
}

export async function loadVxmlApplication(entry: string): Promise<VxmlApplication> {
  const baseDir = dirname(entry);
  const documents = new Map<string, Element>();
  const unmapped: Unmapped[] = [];
  const note = (file: string, node: Node | undefined, reason: string) => {
    const line = node ? lineOf(node) : undefined;
    const element = node && 'localName' in node && node.localName ? `<${node.localName}>` : '';
    unmapped.push(line !== undefined ? { file, line, element, reason } : { file, element, reason });
  };
  const queue = [basename(entry)];
  while (queue.length) {
    const file = queue.shift() ?? '';
    if (documents.has(file)) continue;
    let text: string;
    try {
      text = await readFile(join(baseDir, file), 'utf8');
    } catch (error) {
      if (file === basename(entry)) throw error;
      note(file, undefined, `referenced document cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      continue;
    }
    let root: Element | null;
    try {
      root = parseXml(text).documentElement;
    } catch (error) {
      if (file === basename(entry)) throw error;
      note(file, undefined, `not well-formed XML: ${error instanceof XmlParseError ? error.message : String(error)}`);
      continue;
    }
    if (!root || root.localName !== 'vxml') {
      note(file, root ?? undefined, 'not a VoiceXML document');
      continue;
    }
    documents.set(file, root);
    queue.push(...referencedFiles(root).map((f) => relative(baseDir, join(baseDir, dirname(file), f))));
  }

  const dialogs: SourceDialog[] = [];
  const used = new Set<string>();
  for (const [file, root] of documents) {
    childElements(root)
      .filter((e) => e.localName === 'form' || e.localName === 'menu')
      .forEach((element, i) => {
        const stem = toId(basename(file).replace(/\.vxml$/i, ''), 'doc');
        let id = toId(attr(element, 'id') ?? `${stem}_${i + 1}`, `${stem}_${i + 1}`);
        if (used.has(id)) id = `${stem}_${id}`;
        used.add(id);
        dialogs.push({ id, element, file, kind: element.localName === 'menu' ? 'menu' : 'form' });
      });
  }
  const dialogOf = (element: Element) => dialogs.find((d) => d.element === element);
  const resolve = (file: string, uri: string): SourceDialog | undefined => {
    const [path = '', fragment] = uri.split('#');
    const target = path ? relative(baseDir, join(baseDir, dirname(file), path)) : file;
    const candidates = dialogs.filter((d) => d.file === target);
    return fragment ? candidates.find((d) => attr(d.element, 'id') === fragment) : candidates[0];
  };
  if (!documents.size) throw new XmlParseError(`${entry} is not a VoiceXML document`);
  return { entryFile: basename(entry), documents, dialogs, unmapped, note, resolve, dialogOf };
}
