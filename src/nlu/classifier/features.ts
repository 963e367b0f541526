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

function add(counts: Map<number, number>, term: number): void {
  counts.set(term, (counts.get(term) ?? 0) + 1);
}

/** Splits tokenised text into the hashed terms of the three views. */
export function extractTerms(tokens: string[], options: FeatureOptions): Terms {
  const words = new Map<number, number>();
  const chars = new Map<number, number>();
  const pairs = new Map<number, number>();
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
        add(words, h);
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
        add(chars, combine(h >>> 0, n));
      }
    }
  }
  if (options.pairWeight > 0) {
    const unique = [...new Set(hashes)].sort((a, b) => a - b);
    for (let i = 0; i < unique.length; i++) {
      for (let j = i + 1; j < unique.length; j++) pairs.set(combine(unique[i]!, unique[j]!), 1);
    }
  }
  return [words, chars, pairs];
}

export class Featurizer {
  readonly options: FeatureOptions;
  private readonly vocab: [Map<number, number>, Map<number, number>, Map<number, number>];
  private readonly idf: Float32Array;
  private readonly weights: [number, number, number];

  private constructor(
    options: FeatureOptions,
    vocab: [ArrayLike<number>, ArrayLike<number>, ArrayLike<number>],
    idf: Float32Array,
  ) {
    this.options = options;
    let next = 0;
    const maps: [Map<number, number>, Map<number, number>, Map<number, number>] = [
      new Map<number, number>(),
      new Map<number, number>(),
      new Map<number, number>(),
    ];
    vocab.forEach((terms, view) => {
      for (let i = 0; i < terms.length; i++) maps[view]!.set(terms[i]!, next++);
    });
    if (next !== idf.length) throw new Error(`feature model has ${next} terms but ${idf.length} idf values`);
    this.vocab = maps;
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
    const vocab = this.vocab.map((m) => toBase64(Uint32Array.from(m.keys()))) as [string, string, string];
    return { options: this.options, vocab, idf: toBase64(this.idf) };
  }

  /** The feature vector of an utterance's terms; terms unseen in training are ignored. */
  vectorize(terms: Terms): SparseVector {
    let size = 0;
    for (const view of terms) size += view.size;
    const indices = new Int32Array(size);
    const values = new Float32Array(size);
    const raw = new Float64Array(size);
    let at = 0;
    let total = 0;
    for (let view = 0; view < 3; view++) {
      const weight = this.weights[view]!;
      if (weight <= 0) continue;
      const vocab = this.vocab[view]!;
      const start = at;
      let norm = 0;
      for (const [term, count] of terms[view]!) {
        const index = vocab.get(term);
        if (index === undefined) continue;
        const value = (count === 1 ? 1 : 1 + Math.log(count)) * this.idf[index]!;
        indices[at] = index;
        raw[at++] = value;
        norm += value * value;
      }
      if (norm === 0) continue;
      const scale = weight / Math.sqrt(norm);
      for (let i = start; i < at; i++) raw[i] = raw[i]! * scale;
      total += weight * weight;
    }
    const scale = total > 0 ? 1 / Math.sqrt(total) : 0;
    for (let i = 0; i < at; i++) values[i] = raw[i]! * scale;
    return { indices: indices.slice(0, at), values: values.slice(0, at) };
  }
}
