/**
 * The hashed terms of one utterance per feature view, in the order they occur, in typed buffers that one
 * classifier reuses from one utterance to the next, so that prediction allocates nothing per term.
 */

/** The terms of one view: the first `size` entries of `data`, 32-bit hashes stored by their bits. */
export class TermList {
  data = new Int32Array(128);
  size = 0;

  push(term: number): void {
    if (this.size === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.size++] = term;
  }
}

export class TermBuffer {
  /** Words, characters, pairs. */
  readonly views: readonly [TermList, TermList, TermList] = [new TermList(), new TermList(), new TermList()];

  clear(): void {
    for (const view of this.views) view.size = 0;
  }

  /** How many terms in all. */
  get size(): number {
    return this.views[0].size + this.views[1].size + this.views[2].size;
  }
}
