/**
 * Threshold estimation by cross-validation on a bot's own examples, for bots without a held-out set.
 *
 * The examples are split into folds, stratified by intent; each fold is predicted by a classifier
 * trained on the others. When the examples include out-of-scope ones (labelled `oosLabel`), they are
 * the negatives. When they do not, out-of-scope utterances are simulated: each fold also leaves a group
 * of whole intents out of training, and the held-out utterances of those intents count as out of scope.
 * The threshold is then chosen on these held-out outcomes (see out-of-scope.ts for the criterion). Small
 * sets are cross-validated several times over different splits, as one split leaves few outcomes.
 */
import { prepareExamples, trainPrepared, type ClassifierOptions, type Example } from './classifier.ts';
import {
  DEFAULT_MAX_LOSS,
  DEFAULT_OOS_LABEL,
  DEFAULT_OOS_RATE,
  outcomesOf,
  SIMULATED_MAX_LOSS,
  SIMULATED_OOS_RATE,
  thresholdFromOutcomes,
  type Outcome,
  type ThresholdChoice,
} from './out-of-scope.ts';
import { seededRandom, shuffleInPlace } from './random.ts';

export interface EstimateOptions extends ClassifierOptions {
  oosLabel?: string;
  /** Number of folds (default 4). */
  folds?: number;
  /** Expected share of out-of-scope traffic in the criterion (default: see out-of-scope.ts). */
  oosRate?: number;
  /** Largest share of right in-scope answers the threshold may reject (default 0.003, 0.1 when simulated). */
  maxLoss?: number;
  /** Cross-validation rounds with different splits (default 3 under 2,000 examples, else 1). */
  repeats?: number;
}

export interface ThresholdEstimate extends ThresholdChoice {
  /** 'examples' when real out-of-scope examples were used, 'held-out intents' when simulated, 'none' when impossible. */
  negatives: 'examples' | 'held-out intents' | 'none';
  outcomes: Outcome[];
}

/**
 * The fold of each example (same order as given), stratified by intent: each intent's examples are
 * shuffled with the seed and dealt round-robin, continuing where the previous intent stopped.
 */
export function assignFolds(examples: Example[], folds: number, seed: number): Int32Array {
  const random = seededRandom(seed);
  const groups = new Map<string, number[]>();
  examples.forEach((e, i) => {
    const list = groups.get(e.intent) ?? [];
    list.push(i);
    groups.set(e.intent, list);
  });
  const fold = new Int32Array(examples.length);
  let offset = 0;
  for (const intent of [...groups.keys()].sort()) {
    const list = groups.get(intent)!;
    shuffleInPlace(list, random);
    list.forEach((index, k) => {
      fold[index] = (offset + k) % folds;
    });
    offset += list.length;
  }
  return fold;
}

/** Below this many examples cross-validation is repeated with other splits, to steady the estimate. */
const SMALL_SET = 2000;
const SMALL_SET_REPEATS = 3;

export function estimateThreshold(examples: Example[], options: EstimateOptions = {}): ThresholdEstimate {
  const oosLabel = options.oosLabel ?? DEFAULT_OOS_LABEL;
  const folds = Math.max(2, options.folds ?? 4);
  const seed = options.seed ?? 1;
  const progress = options.onProgress;
  const trainOptions: ClassifierOptions = { ...options, onProgress: undefined };
  const prepared = prepareExamples(examples, trainOptions);
  const repeats = options.repeats ?? (prepared.length < SMALL_SET ? SMALL_SET_REPEATS : 1);
  const intents = [...new Set(prepared.map((e) => e.intent))].filter((i) => i !== oosLabel);
  const hasOos = prepared.some((e) => e.intent === oosLabel);
  // Without real negatives, whole intents are left out in turn; that needs a few intents to remain.
  const simulate = !hasOos && intents.length >= 3;
  const outcomes: Outcome[] = [];
  for (let repeat = 0; repeat < repeats; repeat++) {
    const splitSeed = seed + 1000 * repeat;
    const foldOf = assignFolds(prepared, folds, splitSeed);
    const leftOutGroup = new Map<string, number>();
    if (simulate) {
      const shuffled = [...intents];
      shuffleInPlace(shuffled, seededRandom(splitSeed + 1));
      shuffled.forEach((intent, i) => leftOutGroup.set(intent, i % folds));
    }
    for (let fold = 0; fold < folds; fold++) {
      const isLeftOut = (e: Example): boolean => simulate && leftOutGroup.get(e.intent) === fold;
      const train = prepared.filter((e, i) => foldOf[i] !== fold && !isLeftOut(e));
      const test = prepared.filter((_, i) => foldOf[i] === fold);
      if (train.length > 0 && test.length > 0) {
        const classifier = trainPrepared(train, trainOptions);
        const relabelled = test.map((e) => ({ text: e.text, intent: isLeftOut(e) ? oosLabel : e.intent }));
        outcomes.push(...outcomesOf(classifier, relabelled));
      }
      progress?.('cross-validation', (repeat * folds + fold + 1) / (repeats * folds));
    }
  }
  if (hasOos) {
    const choice = thresholdFromOutcomes(
      outcomes,
      oosLabel,
      options.oosRate ?? DEFAULT_OOS_RATE,
      options.maxLoss ?? DEFAULT_MAX_LOSS,
    );
    return { ...choice, negatives: 'examples', outcomes };
  }
  if (simulate) {
    const rate = options.oosRate ?? SIMULATED_OOS_RATE;
    const maxLoss = options.maxLoss ?? SIMULATED_MAX_LOSS;
    return {
      ...thresholdFromOutcomes(outcomes, oosLabel, rate, maxLoss),
      negatives: 'held-out intents',
      outcomes,
    };
  }
  return { ...thresholdFromOutcomes(outcomes, oosLabel, 0), threshold: 0, negatives: 'none', outcomes };
}
