import type { ClassifierOptions, Example, IntentClassifier } from './classifier.ts';
import { estimateThreshold, type EstimateOptions } from './cross-validation.ts';
import { DEFAULT_OOS_LABEL, thresholdOnHeldOut } from './out-of-scope.ts';

/**
 * Picks an out-of-scope confidence threshold (criterion in out-of-scope.ts), in one of two ways:
 * - `chooseThreshold(classifier, heldOut, oosLabel?)`: on held-out examples, some labelled `oosLabel`;
 * - `chooseThreshold(examples, options?)`: for a bot without held-out data, by cross-validation on its
 *   own examples (out-of-scope ones if it has some, else whole intents held out in turn); undefined
 *   when the bot has too few intents and no out-of-scope examples to tell.
 */
export function chooseThreshold(
  classifier: IntentClassifier,
  heldOut: Example[],
  oosLabel?: string,
  options?: { oosRate?: number; maxLoss?: number },
): number;
export function chooseThreshold(
  examples: Example[],
  options?: ClassifierOptions & EstimateOptions,
): number | undefined;
export function chooseThreshold(
  first: IntentClassifier | Example[],
  second?: Example[] | (ClassifierOptions & EstimateOptions),
  oosLabel: string = DEFAULT_OOS_LABEL,
  options: { oosRate?: number; maxLoss?: number } = {},
): number | undefined {
  if (Array.isArray(first)) {
    const estimate = estimateThreshold(first, (second as EstimateOptions | undefined) ?? {});
    return estimate.negatives === 'none' ? undefined : estimate.threshold;
  }
  return thresholdOnHeldOut(first, (second as Example[] | undefined) ?? [], oosLabel, options).threshold;
}
