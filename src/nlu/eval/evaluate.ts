/**
 * Batch evaluation of the intent classifier: train on examples (or take a trained classifier), decide
 * every test utterance, and measure accuracy, out-of-scope recall, per-intent scores, confusions and
 * prediction latency.
 */
import {
  trainClassifier,
  type ClassifierOptions,
  type Example,
  type IntentClassifier,
} from '../classifier/classifier.ts';
import { estimateThreshold } from '../classifier/cross-validation.ts';
import { DEFAULT_OOS_LABEL, decide } from '../classifier/out-of-scope.ts';
import { computeMetrics, type Decided, type Metrics } from './metrics.ts';

export type Progress = (stage: string, fraction: number) => void;

export interface Timing {
  trainMs: number;
  thresholdMs: number;
  predictMeanMs: number;
  predictP50Ms: number;
  predictP99Ms: number;
}

export interface EvalReport extends Metrics {
  trainExamples: number;
  intents: number;
  threshold: number;
  /** Where the threshold came from. */
  thresholdSource:
    'none' | 'given' | 'cross-validation on out-of-scope examples' | 'cross-validation on held-out intents';
  timing: Timing;
}

export interface EvaluateOptions {
  oosLabel?: string;
  /**
   * Out-of-scope threshold: a number, 'never', 'always' (estimate by cross-validation, simulating
   * out-of-scope utterances with held-out intents if the training set has none), or 'auto' (the
   * default: estimate only when the training set has out-of-scope examples).
   */
  threshold?: number | 'auto' | 'always' | 'never';
  /** Cross-validation folds for the threshold (default 4). */
  folds?: number;
  /** Expected out-of-scope share in the threshold criterion (defaults in classifier/out-of-scope.ts). */
  oosRate?: number;
  /** Largest share of right in-scope answers the threshold may reject (defaults in classifier/out-of-scope.ts). */
  maxLoss?: number;
  classifier?: ClassifierOptions;
  maxConfusions?: number;
  onProgress?: Progress;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** Decides every test utterance with a trained classifier and measures the result. */
export function evaluateClassifier(
  classifier: IntentClassifier,
  test: Example[],
  options: Pick<EvaluateOptions, 'oosLabel' | 'maxConfusions' | 'onProgress'> = {},
): { metrics: Metrics; latenciesMs: number[] } {
  const oosLabel = options.oosLabel ?? DEFAULT_OOS_LABEL;
  const decided: Decided[] = [];
  const latenciesMs: number[] = [];
  const every = Math.max(1, Math.floor(test.length / 20));
  test.forEach((e, i) => {
    const start = performance.now();
    const decision = decide(classifier, e.text, oosLabel);
    latenciesMs.push(performance.now() - start);
    decided.push({ gold: e.intent, predicted: decision.name });
    if ((i + 1) % every === 0) options.onProgress?.('predicting', (i + 1) / test.length);
  });
  options.onProgress?.('predicting', 1);
  return { metrics: computeMetrics(decided, oosLabel, options.maxConfusions), latenciesMs };
}

/** Trains on `train` (estimating an out-of-scope threshold as asked), then evaluates on `test`. */
export function evaluate(train: Example[], test: Example[], options: EvaluateOptions = {}): EvalReport {
  const oosLabel = options.oosLabel ?? DEFAULT_OOS_LABEL;
  const mode = options.threshold ?? 'auto';
  const classifierOptions: ClassifierOptions = { ...options.classifier, onProgress: options.onProgress };

  let start = performance.now();
  let classifier = trainClassifier(train, classifierOptions);
  const trainMs = performance.now() - start;

  start = performance.now();
  let threshold = 0;
  let thresholdSource: EvalReport['thresholdSource'] = 'none';
  const hasOos = train.some((e) => e.intent === oosLabel);
  if (typeof mode === 'number') {
    threshold = mode;
    thresholdSource = 'given';
  } else if (mode === 'always' || (mode === 'auto' && hasOos)) {
    const estimate = estimateThreshold(train, {
      ...classifierOptions,
      oosLabel,
      folds: options.folds,
      oosRate: options.oosRate,
      maxLoss: options.maxLoss,
    });
    threshold = estimate.threshold;
    if (estimate.negatives === 'examples') thresholdSource = 'cross-validation on out-of-scope examples';
    else if (estimate.negatives === 'held-out intents')
      thresholdSource = 'cross-validation on held-out intents';
  }
  const thresholdMs = performance.now() - start;
  classifier = classifier.withThreshold(threshold);

  const { metrics, latenciesMs } = evaluateClassifier(classifier, test, options);
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return {
    ...metrics,
    trainExamples: train.length,
    intents: classifier.intents.filter((i) => i !== oosLabel).length,
    threshold,
    thresholdSource,
    timing: {
      trainMs,
      thresholdMs,
      predictMeanMs: sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length),
      predictP50Ms: percentile(sorted, 0.5),
      predictP99Ms: percentile(sorted, 0.99),
    },
  };
}
