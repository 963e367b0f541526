/**
 * A rewritten copy of a text that remembers where each piece came from, so a value found in the
 * rewrite ("5:30 pm", "john.smith@example.com") can be reported with the caller's original words.
 */
export class MappedText {
  private out = '';
  private readonly from: number[] = [];
  private readonly to: number[] = [];

  constructor(readonly source: string) {}

  /** Appends `text` standing for `source[start, end)`. */
  push(text: string, start: number, end: number): this {
    for (let i = 0; i < text.length; i += 1) {
      this.from.push(start);
      this.to.push(end);
    }
    this.out += text;
    return this;
  }

  /** Appends `source[start, end)` unchanged, character by character. */
  keep(start: number, end: number): this {
    for (let i = start; i < end; i += 1) {
      this.from.push(i);
      this.to.push(i + 1);
    }
    this.out += this.source.slice(start, end);
    return this;
  }

  get text(): string {
    return this.out;
  }

  /** The range of the source that `text[start, end)` was made from. */
  sourceRange(start: number, end: number): { start: number; end: number } {
    const s = this.from[start] ?? this.source.length;
    const e = this.to[Math.max(start, end - 1)] ?? this.source.length;
    return { start: s, end: Math.max(s, e) };
  }
}

/** Rewrites `source` by replacing the given non-overlapping, sorted ranges. */
export function rewrite(
  source: string,
  replacements: Array<{ start: number; end: number; text: string }>,
): MappedText {
  const mapped = new MappedText(source);
  let at = 0;
  for (const r of replacements) {
    if (r.start < at) continue;
    mapped.keep(at, r.start).push(r.text, r.start, r.end);
    at = r.end;
  }
  return mapped.keep(at, source.length);
}
