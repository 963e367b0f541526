/**
 * Parley's built-in intent classifier: an ensemble of linear models, each a multi-class SVM
 * (crammer-singer.ts) over its own view of the utterance (features.ts): by default one over word
 * n-grams and word pairs, one over character n-grams. Each member's scores become probabilities by a
 * softmax; the confidences are their average. Separately trained views disagree in useful ways, which
 * makes the average more accurate than one model over all the features, at about the same cost.
 * Training is deterministic: the examples are put in a canonical order and every random choice is
 * seeded, so the same examples give the same model whatever order they come in.
 */
import { ParleyError } from '../../errors.ts';
import { trainCrammerSinger } from './crammer-singer.ts';
import {
  defaultFeatureOptions,
  extractTerms,
  Featurizer,
  hashTerms,
  VectorBuffer,
  type FeatureOptions,
  type FeaturizerJson,
  type Terms,
} from './features.ts';
import {
  linearModelFromJSON,
  linearModelToJSON,
  scoreInto,
  sparsify,
  type LinearModel,
  type LinearModelJson,
} from './linear-model.ts';
import { tokenize } from './normalize.ts';
import { toSparseMatrix } from './sparse-matrix.ts';
import { TermBuffer } from './term-buffer.ts';

export interface Example {
  text: string;
  intent: string;
}

export interface ClassifierOptions {
  /** Seed of every random choice in training (default 1). */
  seed?: number;
  /** N-gram orders (and default view weights) of the features. */
  features?: Partial<FeatureOptions>;
  /** The ensemble: the view weights of each member (default: words and pairs; characters). */
  members?: MemberView[];
  /** Inverse regularisation strength of the SVM (default 1). */
  C?: number;
  /** Value of the constant bias feature (default 0.5). */
  bias?: number;
  /** Passes over the data at most (default 15). */
  epochs?: number;
  /** Classes each example starts with in the solver (default 20). */
  candidates?: number;
  /** Per-intent multipliers of C, e.g. { oos: 2 } (default 1). */
  classWeights?: Record<string, number>;
  /**
   * Class balancing: an intent's C is also multiplied by (mean examples per intent / its examples)^balance,
   * so that intents with few examples are not crowded out by those with many (0 = off, 1 = full, the
   * default: how many examples an author wrote for an intent says little about how often callers ask it).
   */
  balance?: number;
  /** Each member's probabilities are softmax(sharpness × score) (default 10). */
  sharpness?: number;
  /** Confidence under which `decide` answers out of scope; 0 = never (default). */
  threshold?: number;
  /** Called as training advances, with a stage name and the fraction done of it. */
  onProgress?: (stage: string, fraction: number) => void;
}

/** Which feature views one member of the ensemble sees, with their relative weights. */
export type MemberView = Pick<FeatureOptions, 'wordWeight' | 'charWeight' | 'pairWeight'>;

export const defaultMembers: MemberView[] = [
  { wordWeight: 1, charWeight: 0, pairWeight: 1 },
  { wordWeight: 0, charWeight: 1, pairWeight: 0 },
];

export interface Prediction {
  name: string;
  confidence: number;
}

export interface IntentClassifier {
  /** Ranked intents, best first, confidences in 0..1 that sum to <= 1. */
  predict(text: string): Prediction[];
  /** Serializable model (JSON) so a trained bot can be cached. */
  toJSON(): unknown;
  /** The intents it knows, sorted. */
  readonly intents: readonly string[];
  /** Confidence under which an utterance counts as out of scope (0 = never). */
  readonly threshold: number;
  /** The same model with another out-of-scope threshold. */
  withThreshold(threshold: number): IntentClassifier;
}

interface MemberJson {
  featurizer: FeaturizerJson;
  model: LinearModelJson;
}

interface ClassifierJson {
  format: 'parley-intent-classifier';
  version: 1;
  intents: string[];
  sharpness: number;
  threshold: number;
  members: MemberJson[];
}

interface Member {
  featurizer: Featurizer;
  model: LinearModel;
}

const DEFAULTS = {
  seed: 1,
  C: 1,
  bias: 0.5,
  epochs: 15,
  candidates: 20,
  sharpness: 10,
  threshold: 0,
  balance: 1,
};

function dataError(message: string): ParleyError {
  return new ParleyError('PARLEY_ERR_NLU_DATA', message);
}

class EnsembleIntentClassifier implements IntentClassifier {
  readonly intents: readonly string[];
  readonly threshold: number;
  private readonly members: Member[];
  private readonly sharpness: number;
  private readonly extraction: FeatureOptions;
  // Buffers of the utterance being classified, reused from one to the next (prediction is synchronous):
  // its terms, shared by the members, a member's feature vector and scores, the ensemble's probabilities.
  private readonly terms = new TermBuffer();
  private readonly vector = new VectorBuffer();
  private readonly scores: Float64Array;
  private readonly probs: Float64Array;

  constructor(intents: string[], members: Member[], sharpness: number, threshold: number) {
    this.intents = intents;
    this.members = members;
    this.sharpness = sharpness;
    this.threshold = threshold;
    this.extraction = extractionOptions(members.map((m) => m.featurizer.options));
    this.scores = new Float64Array(intents.length);
    this.probs = new Float64Array(intents.length);
  }

  /**
   * The ensemble's probability of every intent, in the order of `intents`, in a buffer that the next call
   * overwrites. Each member's scores become probabilities by a softmax, computed in place.
   */
  private classify(text: string): Float64Array {
    hashTerms(tokenize(text), this.extraction, this.terms);
    const { vector, scores, probs } = this;
    probs.fill(0);
    const share = 1 / this.members.length;
    for (const member of this.members) {
      member.featurizer.vectorizeBuffer(this.terms, vector);
      scoreInto(member.model, vector.indices, vector.values, vector.size, scores);
      let max = -Infinity;
      for (let c = 0; c < scores.length; c++) max = Math.max(max, scores[c]!);
      let sum = 0;
      for (let c = 0; c < scores.length; c++) {
        const e = Math.exp(this.sharpness * (scores[c]! - max));
        scores[c] = e;
        sum += e;
      }
      for (let c = 0; c < scores.length; c++) probs[c]! += (share * scores[c]!) / sum;
    }
    return probs;
  }

  predict(text: string): Prediction[] {
    const probs = this.classify(text);
    const ranked = this.intents.map((name, c) => ({ name, confidence: probs[c]! }));
    return ranked.sort((a, b) => b.confidence - a.confidence || (a.name < b.name ? -1 : 1));
  }

  withThreshold(threshold: number): IntentClassifier {
    if (!(threshold >= 0 && threshold <= 1))
      throw dataError(`threshold must be within 0..1, got ${threshold}`);
    return new EnsembleIntentClassifier([...this.intents], this.members, this.sharpness, threshold);
  }

  toJSON(): ClassifierJson {
    return {
      format: 'parley-intent-classifier',
      version: 1,
      intents: [...this.intents],
      sharpness: this.sharpness,
      threshold: this.threshold,
      members: this.members.map((m) => ({
        featurizer: m.featurizer.toJSON(),
        model: linearModelToJSON(m.model),
      })),
    };
  }
}

/** Term extraction serving every member: a view is extracted when some member weighs it. */
function extractionOptions(views: FeatureOptions[]): FeatureOptions {
  const first = views[0] ?? defaultFeatureOptions;
  return {
    wordNgrams: first.wordNgrams,
    charNgrams: first.charNgrams,
    wordWeight: Math.max(0, ...views.map((v) => v.wordWeight)),
    charWeight: Math.max(0, ...views.map((v) => v.charWeight)),
    pairWeight: Math.max(0, ...views.map((v) => v.pairWeight)),
  };
}

function memberOptions(options: ClassifierOptions): FeatureOptions[] {
  const base: FeatureOptions = { ...defaultFeatureOptions, ...options.features };
  const views = options.members ?? defaultMembers;
  if (views.length === 0) throw dataError('the classifier needs at least one ensemble member');
  return views.map((v) => ({ ...base, ...v }));
}

function checkExamples(examples: Example[]): void {
  if (!Array.isArray(examples) || examples.length === 0)
    throw dataError('no training examples: give at least one utterance of one intent');
  examples.forEach((e, i) => {
    if (typeof e?.text !== 'string' || typeof e.intent !== 'string' || e.intent.length === 0) {
      throw dataError(`training example ${i + 1} needs a string "text" and a non-empty string "intent"`);
    }
  });
}

/** Examples in the canonical training order (by intent, then text), so that input order does not matter. */
export function canonicalOrder(examples: Example[]): Example[] {
  return [...examples].sort((a, b) =>
    a.intent < b.intent ? -1 : a.intent > b.intent ? 1 : a.text < b.text ? -1 : a.text > b.text ? 1 : 0,
  );
}

/** An example with its terms already extracted (cross-validation reuses them across folds). */
export interface PreparedExample extends Example {
  terms: Terms;
}

export function prepareExamples(examples: Example[], options: ClassifierOptions = {}): PreparedExample[] {
  checkExamples(examples);
  const extraction = extractionOptions(memberOptions(options));
  return canonicalOrder(examples).map((e) => ({ ...e, terms: extractTerms(tokenize(e.text), extraction) }));
}

/** Trains on prepared examples, which must be in canonical order (any subsequence of prepareExamples' output is). */
export function trainPrepared(
  prepared: PreparedExample[],
  options: ClassifierOptions = {},
): IntentClassifier {
  if (prepared.length === 0)
    throw dataError('no training examples: give at least one utterance of one intent');
  const o = { ...DEFAULTS, ...options };
  const progress = options.onProgress ?? (() => undefined);
  const intents = [...new Set(prepared.map((e) => e.intent))];
  const index = new Map(intents.map((name, i) => [name, i]));
  const labels = Int32Array.from(prepared, (e) => index.get(e.intent)!);
  const views = memberOptions(options);
  const counts = new Float64Array(intents.length);
  for (const label of labels) counts[label]! += 1;
  const mean = prepared.length / intents.length;
  const classWeights = intents.map(
    (name, c) => (options.classWeights?.[name] ?? 1) * (mean / counts[c]!) ** o.balance,
  );
  const members = views.map((view, m): Member => {
    const featurizer = Featurizer.fit(
      prepared.map((e) => e.terms),
      view,
    );
    const matrix = toSparseMatrix(
      prepared.map((e) => featurizer.vectorize(e.terms)),
      featurizer.size,
    );
    const dense = trainCrammerSinger(matrix, labels, intents.length, {
      C: o.C,
      bias: o.bias,
      epochs: o.epochs,
      tolerance: 0.1,
      candidates: o.candidates,
      seed: o.seed + m,
      classWeights,
      onEpoch: (epoch) => progress('training', (m + epoch / o.epochs) / views.length),
    });
    return { featurizer, model: sparsify(dense) };
  });
  progress('training', 1);
  return new EnsembleIntentClassifier(intents, members, o.sharpness, o.threshold);
}

export function trainClassifier(examples: Example[], options: ClassifierOptions = {}): IntentClassifier {
  options.onProgress?.('features', 0);
  const prepared = prepareExamples(examples, options);
  options.onProgress?.('features', 1);
  return trainPrepared(prepared, options);
}

export function loadClassifier(json: unknown): IntentClassifier {
  const j = json as Partial<ClassifierJson> | null;
  if (j?.format !== 'parley-intent-classifier' || j.version !== 1) {
    throw dataError(
      'not a Parley intent classifier model (format "parley-intent-classifier", version 1): train the bot again',
    );
  }
  try {
    const intents = j.intents;
    if (!Array.isArray(intents) || !intents.every((i) => typeof i === 'string'))
      throw new Error('intents must be a list of names');
    if (!Array.isArray(j.members) || j.members.length === 0) throw new Error('no ensemble members');
    const members = j.members.map((m): Member => {
      const featurizer = Featurizer.fromJSON(m.featurizer);
      const model = linearModelFromJSON(m.model);
      if (model.classes !== intents.length || model.features !== featurizer.size)
        throw new Error('model sizes do not match');
      return { featurizer, model };
    });
    const sharpness = Number(j.sharpness);
    const threshold = Number(j.threshold ?? 0);
    if (!(sharpness > 0) || !(threshold >= 0 && threshold <= 1))
      throw new Error('sharpness or threshold out of range');
    return new EnsembleIntentClassifier(intents, members, sharpness, threshold);
  } catch (error) {
    throw new ParleyError(
      'PARLEY_ERR_NLU_DATA',
      `intent classifier model is damaged (${(error as Error).message}): train the bot again`,
      {
        cause: error,
      },
    );
  }
}
