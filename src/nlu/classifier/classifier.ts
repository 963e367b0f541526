/**
 * Parley's built-in intent classifier: word n-grams, character n-grams and word pairs (features.ts)
 * scored by a multi-class linear SVM (crammer-singer.ts); confidences are a softmax over the scores.
 * Training is deterministic: the examples are put in a canonical order and every random choice is
 * seeded, so the same examples give the same model whatever order they come in.
 */
import { ParleyError } from '../../errors.ts';
import { trainCrammerSinger } from './crammer-singer.ts';
import { defaultFeatureOptions, extractTerms, Featurizer, type FeatureOptions, type FeaturizerJson, type Terms } from './features.ts';
import { linearModelFromJSON, linearModelToJSON, scoreAll, sparsify, type LinearModel, type LinearModelJson } from './linear-model.ts';
import { tokenize } from './normalize.ts';
import { toSparseMatrix } from './sparse-matrix.ts';

export interface Example {
  text: string;
  intent: string;
}

export interface ClassifierOptions {
  /** Seed of every random choice in training (default 1). */
  seed?: number;
  /** Feature views and their weights. */
  features?: Partial<FeatureOptions>;
  /** Inverse regularisation strength of the SVM (default 1). */
  C?: number;
  /** Value of the constant bias feature (default 0.5). */
  bias?: number;
  /** Passes over the data at most (default 8). */
  epochs?: number;
  /** Classes each example starts with in the solver (default 40). */
  candidates?: number;
  /** Per-intent multipliers of C, e.g. { oos: 2 } (default 1). */
  classWeights?: Record<string, number>;
  /** Confidences are softmax(sharpness × score) (default 6). */
  sharpness?: number;
  /** Confidence under which `decide` answers out of scope; 0 = never (default). */
  threshold?: number;
  /** Called as training advances, with a stage name and the fraction done of it. */
  onProgress?: (stage: string, fraction: number) => void;
}

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

interface ClassifierJson {
  format: 'parley-intent-classifier';
  version: 1;
  intents: string[];
  sharpness: number;
  threshold: number;
  featurizer: FeaturizerJson;
  model: LinearModelJson;
}

const DEFAULTS = { seed: 1, C: 1, bias: 0.5, epochs: 8, candidates: 40, sharpness: 6, threshold: 0 };

function dataError(message: string): ParleyError {
  return new ParleyError('PARLEY_ERR_NLU_DATA', message);
}

class LinearIntentClassifier implements IntentClassifier {
  readonly intents: readonly string[];
  readonly threshold: number;
  private readonly featurizer: Featurizer;
  private readonly model: LinearModel;
  private readonly sharpness: number;

  constructor(intents: string[], featurizer: Featurizer, model: LinearModel, sharpness: number, threshold: number) {
    this.intents = intents;
    this.featurizer = featurizer;
    this.model = model;
    this.sharpness = sharpness;
    this.threshold = threshold;
  }

  /** Raw decision scores, in the order of `intents`. */
  scores(text: string): Float64Array {
    const vector = this.featurizer.vectorize(extractTerms(tokenize(text), this.featurizer.options));
    return scoreAll(this.model, vector);
  }

  predict(text: string): Prediction[] {
    const scores = this.scores(text);
    let max = -Infinity;
    for (const s of scores) max = Math.max(max, s);
    let sum = 0;
    const exp = scores.map((s) => {
      const e = Math.exp(this.sharpness * (s - max));
      sum += e;
      return e;
    });
    const ranked = this.intents.map((name, c) => ({ name, confidence: exp[c]! / sum }));
    return ranked.sort((a, b) => b.confidence - a.confidence || (a.name < b.name ? -1 : 1));
  }

  withThreshold(threshold: number): IntentClassifier {
    if (!(threshold >= 0 && threshold <= 1)) throw dataError(`threshold must be within 0..1, got ${threshold}`);
    return new LinearIntentClassifier([...this.intents], this.featurizer, this.model, this.sharpness, threshold);
  }

  toJSON(): ClassifierJson {
    return {
      format: 'parley-intent-classifier',
      version: 1,
      intents: [...this.intents],
      sharpness: this.sharpness,
      threshold: this.threshold,
      featurizer: this.featurizer.toJSON(),
      model: linearModelToJSON(this.model),
    };
  }
}

function checkExamples(examples: Example[]): void {
  if (!Array.isArray(examples) || examples.length === 0) throw dataError('no training examples: give at least one utterance of one intent');
  examples.forEach((e, i) => {
    if (typeof e?.text !== 'string' || typeof e.intent !== 'string' || e.intent.length === 0) {
      throw dataError(`training example ${i + 1} needs a string "text" and a non-empty string "intent"`);
    }
  });
}

/** Examples in the canonical training order (by intent, then text), so that input order does not matter. */
export function canonicalOrder(examples: Example[]): Example[] {
  return [...examples].sort((a, b) => (a.intent < b.intent ? -1 : a.intent > b.intent ? 1 : a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
}

/** An example with its terms already extracted (cross-validation reuses them across folds). */
export interface PreparedExample extends Example {
  terms: Terms;
}

export function prepareExamples(examples: Example[], options: ClassifierOptions = {}): PreparedExample[] {
  checkExamples(examples);
  const featureOptions: FeatureOptions = { ...defaultFeatureOptions, ...options.features };
  return canonicalOrder(examples).map((e) => ({ ...e, terms: extractTerms(tokenize(e.text), featureOptions) }));
}

/** Trains on prepared examples, which must be in canonical order (any subsequence of prepareExamples' output is). */
export function trainPrepared(prepared: PreparedExample[], options: ClassifierOptions = {}): IntentClassifier {
  if (prepared.length === 0) throw dataError('no training examples: give at least one utterance of one intent');
  const o = { ...DEFAULTS, ...options };
  const featureOptions: FeatureOptions = { ...defaultFeatureOptions, ...options.features };
  const progress = options.onProgress ?? (() => undefined);
  const intents = [...new Set(prepared.map((e) => e.intent))];
  const index = new Map(intents.map((name, i) => [name, i]));

  progress('features', 0);
  const featurizer = Featurizer.fit(
    prepared.map((e) => e.terms),
    featureOptions,
  );
  const matrix = toSparseMatrix(
    prepared.map((e) => featurizer.vectorize(e.terms)),
    featurizer.size,
  );
  progress('features', 1);
  const labels = Int32Array.from(prepared, (e) => index.get(e.intent)!);
  const dense = trainCrammerSinger(matrix, labels, intents.length, {
    C: o.C,
    bias: o.bias,
    epochs: o.epochs,
    tolerance: 0.1,
    candidates: o.candidates,
    seed: o.seed,
    classWeights: intents.map((name) => options.classWeights?.[name] ?? 1),
    onEpoch: (epoch) => progress('training', epoch / o.epochs),
  });
  progress('training', 1);
  return new LinearIntentClassifier(intents, featurizer, sparsify(dense), o.sharpness, o.threshold);
}

export function trainClassifier(examples: Example[], options: ClassifierOptions = {}): IntentClassifier {
  options.onProgress?.('features', 0);
  return trainPrepared(prepareExamples(examples, options), options);
}

export function loadClassifier(json: unknown): IntentClassifier {
  const j = json as Partial<ClassifierJson> | null;
  if (j?.format !== 'parley-intent-classifier' || j.version !== 1) {
    throw dataError('not a Parley intent classifier model (format "parley-intent-classifier", version 1): train the bot again');
  }
  try {
    const intents = j.intents;
    if (!Array.isArray(intents) || !intents.every((i) => typeof i === 'string')) throw new Error('intents must be a list of names');
    const featurizer = Featurizer.fromJSON(j.featurizer!);
    const model = linearModelFromJSON(j.model!);
    if (model.classes !== intents.length || model.features !== featurizer.size) throw new Error('model sizes do not match');
    return new LinearIntentClassifier(intents, featurizer, model, Number(j.sharpness), Number(j.threshold ?? 0));
  } catch (error) {
    throw new ParleyError('PARLEY_ERR_NLU_DATA', `intent classifier model is damaged (${(error as Error).message}): train the bot again`, {
      cause: error,
    });
  }
}
