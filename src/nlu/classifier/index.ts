/** Parley's built-in intent classifier: training, prediction, out-of-scope thresholds. */
export {
  defaultMembers,
  loadClassifier,
  trainClassifier,
  type ClassifierOptions,
  type MemberView,
  type Example,
  type IntentClassifier,
  type Prediction,
} from './classifier.ts';
export { chooseThreshold } from './choose-threshold.ts';
export { estimateThreshold, type EstimateOptions, type ThresholdEstimate } from './cross-validation.ts';
export {
  decide,
  DEFAULT_OOS_LABEL,
  DEFAULT_MAX_LOSS,
  DEFAULT_OOS_RATE,
  SIMULATED_MAX_LOSS,
  SIMULATED_OOS_RATE,
  thresholdFromOutcomes,
  thresholdOnHeldOut,
  type Decision,
  type Outcome,
  type ThresholdChoice,
} from './out-of-scope.ts';
export { tokenize } from './normalize.ts';
