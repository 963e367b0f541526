/**
 * The feature index of each term hash of one view, as an open-addressing hash table over typed arrays,
 * built once per trained model. Prediction looks up every term of an utterance here: a
 * `Map<number, number>` boxes most 32-bit hashes (they exceed the small-integer range) and costs far more
 * per lookup.
 */
const EMPTY = -1;

export class TermIndex {
  private readonly keys: Int32Array;
  private readonly slots: Int32Array;
  private readonly shift: number;
  private readonly mask: number;

  /** Term `terms[i]` gets feature index `first + i`; a term given twice is an error (a damaged model). */
  constructor(terms: ArrayLike<number>, first: number) {
    // a power of two at least twice the terms keeps probe sequences short
    let bits = 4;
    while (1 << bits < terms.length * 2) bits++;
    this.keys = new Int32Array(1 << bits);
    this.slots = new Int32Array(1 << bits).fill(EMPTY);
    this.shift = 32 - bits;
    this.mask = (1 << bits) - 1;
    for (let i = 0; i < terms.length; i++) {
      const term = terms[i]! | 0;
      let at = this.home(term);
      while (this.slots[at] !== EMPTY) {
        if (this.keys[at] === term) throw new Error('feature model repeats a term');
        at = (at + 1) & this.mask;
      }
      this.keys[at] = term;
      this.slots[at] = first + i;
    }
  }

  /** Fibonacci hashing: the top bits of term × 2^32/φ. */
  private home(term: number): number {
    return Math.imul(term, 0x9e3779b1) >>> this.shift;
  }

  /** The feature index of a term (a 32-bit hash), or -1 when training never saw it. */
  get(term: number): number {
    const key = term | 0;
    let at = this.home(key);
    for (;;) {
      const slot = this.slots[at]!;
      if (slot === EMPTY || this.keys[at] === key) return slot;
      at = (at + 1) & this.mask;
    }
  }
}
