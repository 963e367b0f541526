/**
 * Feature extraction in three views of an utterance, each TF-IDF weighted (sublinear tf, smoothed idf)
 * and L2-normalised, then weighted and joined into one L2-normalised sparse vector:
 * - words: word n-grams with sentence-boundary markers ("<s> cancel", "my card");
 * - chars: character n-grams over the space-joined words (robust to typos and inflections);
 * - pairs: unordered pairs of distinct words anywhere in the utterance ("card|arrive"), which let a
 *   linear model see which words go together whatever their order or distance.
 * Terms are identified by 32-bit hashes rather than strings (fast, and a compact model); two terms of
 * a view sharing a hash is rare enough (a few in a million-term vocabulary) not to matter.
 */
import { float32FromBase64, toBase64, uint32FromBase64 } from './base64-arrays.ts';
import { TermBuffer } from './term-buffer.ts';
import { TermIndex } from './term-index.ts';

export interface FeatureOptions {
  /** Word n-gram orders, inclusive, e.g. [1, 2]. */
  wordNgrams: [number, number];
  /** Character n-gram orders, inclusive, e.g. [2, 5]. */
  charNgrams: [number, number];
  /** Relative weight of each view; 0 turns a view off. */
  wordWeight: number;
  charWeight: number;
  pairWeight: number;
}

export const defaultFeatureOptions: FeatureOptions = {
  wordNgrams: [1, 2],
  charNgrams: [2, 5],
  wordWeight: 1,
  charWeight: 1,
  pairWeight: 1,
};

export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

/** A sparse vector in buffers reused from one utterance to the next: its first `size` entries. */
export class VectorBuffer {
  indices = new Int32Array(256);
  values = new Float32Array(256);
  /** Unscaled values while a vector is built. */
  raw = new Float64Array(256);
  size = 0;

  /** Makes room for `capacity` entries (the contents are not kept). */
  reserve(capacity: number): void {
    if (capacity <= this.indices.length) return;
    let length = this.indices.length;
    while (length < capacity) length *= 2;
    this.indices = new Int32Array(length);
    this.values = new Float32Array(length);
    this.raw = new Float64Array(length);
  }
}

/** The distinct term hashes of one utterance per view (words, chars, pairs), with their counts. */
export type Terms = [Map<number, number>, Map<number, number>, Map<number, number>];

export interface FeaturizerJson {
  options: FeatureOptions;
  /** Term hashes per view (words, chars, pairs), in index order, as base64 uint32. */
  vocab: [string, string, string];
  /** Inverse document frequency of every feature, in index order across the views (base64 float32). */
  idf: string;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const SPACE = 32;

function hashString(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

/** Order-dependent combination of two hashes (boost-style hash_combine with a final avalanche). */
function combine(a: number, b: number): number {
  let h = (a ^ (b + 0x9e3779b9 + (a << 6) + (a >>> 2))) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const START = hashString('<s>');
const END = hashString('</s>');

type View = 0 | 1 | 2;
const WORDS: View = 0;
const CHARS: View = 1;
const PAIRS: View = 2;
const VIEWS: readonly View[] = [WORDS, CHARS, PAIRS];

/**
 * Hashes tokenised text into the terms of the three views, in the order they occur, repeats included
 * (each pair of distinct words once): what `extractTerms` counts, without a map per utterance.
 */
export function hashTerms(tokens: readonly string[], options: FeatureOptions, out: TermBuffer): void {
  out.clear();
  const [words, chars, pairs] = out.views;
  const hashes = tokens.map(hashString);
  if (options.wordWeight > 0) {
    const [lo, hi] = options.wordNgrams;
    const padded = [START, ...hashes, END];
    for (let n = Math.max(1, lo); n <= hi; n++) {
      // Unigrams leave out the boundary markers; longer n-grams keep them ("<s> cancel" = starts with cancel).
      const first = n === 1 ? 1 : 0;
      const last = n === 1 ? padded.length - 1 : padded.length;
      for (let i = first; i + n <= last; i++) {
        let h = n;
        for (let k = 0; k < n; k++) h = combine(h, padded[i + k]!);
        words.push(h);
      }
    }
  }
  if (options.charWeight > 0) {
    const [lo, hi] = options.charNgrams;
    const s = ` ${tokens.join(' ')} `;
    for (let i = 0; i < s.length; i++) {
      // Every n-gram starting at i, hashed incrementally; the order n is mixed in so orders never collide.
      let h = FNV_OFFSET;
      for (let n = 1; n <= hi && i + n <= s.length; n++) {
        h = Math.imul(h ^ s.charCodeAt(i + n - 1), FNV_PRIME);
        if (n < lo || (n === 1 && s.charCodeAt(i) === SPACE)) continue;
        chars.push(combine(h >>> 0, n));
      }
    }
  }
  if (options.pairWeight > 0) {
    // the distinct word hashes in increasing order
    const sorted = hashes.slice().sort((a, b) => a - b);
    const unique = sorted.filter((h, i) => i === 0 || h !== sorted[i - 1]);
    for (let i = 0; i < unique.length; i++) {
      for (let j = i + 1; j < unique.length; j++) pairs.push(combine(unique[i]!, unique[j]!));
    }
  }
}

/** Splits tokenised text into the hashed terms of the three views, with their counts (pairs count once). */
export function extractTerms(tokens: readonly string[], options: FeatureOptions): Terms {
  const buffer = new TermBuffer();
  hashTerms(tokens, options, buffer);
  const terms: Terms = [new Map<number, number>(), new Map<number, number>(), new Map<number, number>()];
  for (const view of VIEWS) {
    const counts = terms[view];
    const { data, size } = buffer.views[view];
    for (let k = 0; k < size; k++) {
      const term = data[k]! >>> 0;
      counts.set(term, view === PAIRS ? 1 : (counts.get(term) ?? 0) + 1);
    }
  }
  return terms;
}

/** Sublinear term frequency. */
const tf = (count: number): number => (count === 1 ? 1 : 1 + Math.log(count));

export class Featurizer {
  readonly options: FeatureOptions;
  /** Term hashes per view in index order (the model's vocabulary), and their feature indices. */
  private readonly vocab: [Uint32Array, Uint32Array, Uint32Array];
  private readonly index: [TermIndex, TermIndex, TermIndex];
  private readonly idf: Float32Array;
  private readonly weights: [number, number, number];
  /** Per feature, how often it occurs in the utterance being vectorised; all zero between calls. */
  private counts: Int32Array | undefined;

  private constructor(
    options: FeatureOptions,
    vocab: [ArrayLike<number>, ArrayLike<number>, ArrayLike<number>],
    idf: Float32Array,
  ) {
    this.options = options;
    this.vocab = [Uint32Array.from(vocab[0]), Uint32Array.from(vocab[1]), Uint32Array.from(vocab[2])];
    const size = vocab[0].length + vocab[1].length + vocab[2].length;
    if (size !== idf.length) throw new Error(`feature model has ${size} terms but ${idf.length} idf values`);
    this.index = [
      new TermIndex(this.vocab[0], 0),
      new TermIndex(this.vocab[1], vocab[0].length),
      new TermIndex(this.vocab[2], vocab[0].length + vocab[1].length),
    ];
    this.idf = idf;
    this.weights = [options.wordWeight, options.charWeight, options.pairWeight];
  }

  /** Number of features. */
  get size(): number {
    return this.idf.length;
  }

  /** Learns the vocabulary and idf from the terms of the training utterances (in their order, so deterministic). */
  static fit(corpus: Terms[], options: FeatureOptions): Featurizer {
    const vocab: [number[], number[], number[]] = [[], [], []];
    const idf: number[] = [];
    const n = corpus.length;
    const weights = [options.wordWeight, options.charWeight, options.pairWeight];
    for (let view = 0; view < 3; view++) {
      if (!(weights[view]! > 0)) continue;
      const df = new Map<number, number>();
      for (const terms of corpus)
        for (const term of terms[view]!.keys()) df.set(term, (df.get(term) ?? 0) + 1);
      for (const [term, count] of df) {
        vocab[view]!.push(term);
        idf.push(Math.log((1 + n) / (1 + count)) + 1);
      }
    }
    return new Featurizer(options, vocab, Float32Array.from(idf));
  }

  static fromJSON(json: FeaturizerJson): Featurizer {
    const vocab = json.vocab.map((v, i) => uint32FromBase64(v, `vocabulary ${i}`)) as [
      Uint32Array,
      Uint32Array,
      Uint32Array,
    ];
    return new Featurizer(json.options, vocab, float32FromBase64(json.idf, 'idf'));
  }

  toJSON(): FeaturizerJson {
    const vocab = this.vocab.map((terms) => toBase64(terms)) as [string, string, string];
    return { options: this.options, vocab, idf: toBase64(this.idf) };
  }

  /** The feature vector of an utterance's terms; terms unseen in training are ignored. */
  vectorize(terms: Terms): SparseVector {
    let size = 0;
    for (const view of terms) size += view.size;
    const indices = new Int32Array(size);
    const raw = new Float64Array(size);
    let at = 0;
    let total = 0;
    for (const view of VIEWS) {
      const weight = this.weights[view];
      if (weight <= 0) continue;
      const index = this.index[view];
      const start = at;
      let norm = 0;
      for (const [term, count] of terms[view]) {
        const f = index.get(term);
        if (f < 0) continue;
        const value = tf(count) * this.idf[f]!;
        indices[at] = f;
        raw[at++] = value;
        norm += value * value;
      }
      if (norm === 0) continue;
      total += this.scaleView(raw, start, at, weight, norm);
    }
    return this.joined(indices, raw, at, total);
  }

  /**
   * The feature vector of the terms in a buffer, written into `out`: the same vector `vectorize` gives for
   * their counts, to the bit (features in order of first occurrence, the same arithmetic), without a map
   * per utterance or a fresh array per call (typed arrays over 64 bytes cost a microsecond each to make).
   */
  vectorizeBuffer(buffer: TermBuffer, out: VectorBuffer): void {
    const counts = (this.counts ??= new Int32Array(this.size));
    out.reserve(buffer.size);
    const { indices, raw } = out;
    let at = 0;
    let total = 0;
    for (const view of VIEWS) {
      const weight = this.weights[view];
      if (weight <= 0) continue;
      const index = this.index[view];
      const { data, size } = buffer.views[view];
      const start = at;
      for (let k = 0; k < size; k++) {
        const f = index.get(data[k]!);
        if (f >= 0 && counts[f]!++ === 0) indices[at++] = f;
      }
      let norm = 0;
      for (let i = start; i < at; i++) {
        const f = indices[i]!;
        const value = tf(view === PAIRS ? 1 : counts[f]!) * this.idf[f]!;
        counts[f] = 0;
        raw[i] = value;
        norm += value * value;
      }
      if (norm === 0) continue;
      total += this.scaleView(raw, start, at, weight, norm);
    }
    const scale = total > 0 ? 1 / Math.sqrt(total) : 0;
    for (let i = 0; i < at; i++) out.values[i] = raw[i]! * scale;
    out.size = at;
  }

  /** Scales one view's values to length `weight`; returns its share of the squared length. */
  private scaleView(raw: Float64Array, start: number, end: number, weight: number, norm: number): number {
    const scale = weight / Math.sqrt(norm);
    for (let i = start; i < end; i++) raw[i] = raw[i]! * scale;
    return weight * weight;
  }

  /** The views joined into one vector of unit length. */
  private joined(indices: Int32Array, raw: Float64Array, size: number, total: number): SparseVector {
    const scale = total > 0 ? 1 / Math.sqrt(total) : 0;
    const values = new Float32Array(size);
    for (let i = 0; i < size; i++) values[i] = raw[i]! * scale;
    return { indices: indices.slice(0, size), values };
  }
}
