import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { fieldName, type BotProblem } from './problems.ts';

/** A parsed YAML file that can say on which line any field stands. */
export class YamlSource {
  readonly value: unknown;
  readonly problems: BotProblem[] = [];
  private readonly doc: Document.Parsed;
  private readonly lines = new LineCounter();

  constructor(
    readonly file: string,
    text: string,
  ) {
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
    for (const e of this.doc.errors) {
      this.problems.push({
        file,
        line: e.linePos?.[0].line ?? 1,
        field: '',
        message: `YAML syntax: ${e.message.split('\n')[0]}`,
      });
    }
    this.value = this.problems.length ? undefined : this.doc.toJS();
  }

  /** The line of the deepest existing node on the path (the key's line for map entries). */
  lineOf(path: ReadonlyArray<string | number>): number {
    let node: unknown = this.doc.contents;
    let offset = (this.doc.contents as Node | null)?.range?.[0] ?? 0;
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
        if (!pair) break;
        offset = (pair.key as Node).range?.[0] ?? offset;
        node = pair.value;
      } else if (isSeq(node)) {
        const item = node.items[Number(key)] as Node | undefined;
        if (!item) break;
        offset = item.range?.[0] ?? offset;
        node = item;
      } else {
        break;
      }
    }
    return this.lines.linePos(offset).line;
  }

  problem(path: ReadonlyArray<string | number>, message: string): BotProblem {
    return { file: this.file, line: this.lineOf(path), field: fieldName(path), message };
  }
}
