/**
 * Out-of-scope detection: an utterance is out of scope when the classifier's best intent is the
 * out-of-scope label itself (a bot may train one from examples) or when its confidence is under the
 * threshold.
 *
 * The threshold criterion: maximise the accuracy a caller population would see if a share `oosRate`
 * of what it says were out of scope, that is (1 - oosRate) × in-scope accuracy + oosRate × out-of-scope
 * recall, where in-scope accuracy counts a wrongly rejected in-scope utterance as an error. With the
 * default share of 10%, rejecting one more out-of-scope utterance is worth losing about a ninth of an
 * in-scope one, which keeps in-scope accuracy close to what it is without a threshold.
 */
import type { Example, IntentClassifier, Prediction } from './classifier.ts';

export const DEFAULT_OOS_LABEL = 'oos';
export const DEFAULT_OOS_RATE = 0.1;

/** How one held-out utterance was answered. */
export interface Outcome {
  gold: string;
  predicted: string;
  confidence: number;
}

export interface ThresholdChoice {
  threshold: number;
  /** On the held-out utterances, with this threshold. */
  inScopeAccuracy: number;
  /** Null when the held-out utterances had no out-of-scope one. */
  oosRecall: number | null;
}

export interface Decision extends Prediction {
  outOfScope: boolean;
  /** The ranked intents, as `predict` gave them. */
  ranked: Prediction[];
}

/** The classifier's answer with its threshold applied: `name` is the out-of-scope label when rejected. */
export function decide(classifier: IntentClassifier, text: string, oosLabel = DEFAULT_OOS_LABEL): Decision {
  const ranked = classifier.predict(text);
  const best = ranked[0] ?? { name: oosLabel, confidence: 0 };
  const outOfScope = best.name === oosLabel || best.confidence < classifier.threshold;
  return { name: outOfScope ? oosLabel : best.name, confidence: best.confidence, outOfScope, ranked };
}

/** Picks the threshold that maximises the criterion above on held-out outcomes. */
export function thresholdFromOutcomes(outcomes: Outcome[], oosLabel = DEFAULT_OOS_LABEL, oosRate = DEFAULT_OOS_RATE): ThresholdChoice {
  const inScope = outcomes.filter((o) => o.gold !== oosLabel);
  const oos = outcomes.filter((o) => o.gold === oosLabel);
  // Sweeping the threshold upwards past a confidence c rejects every utterance answered with confidence c.
  const events = new Map<number, { lostCorrect: number; caughtOos: number }>();
  let correct = 0;
  let caught = 0;
  for (const o of inScope) {
    if (o.predicted !== o.gold) continue;
    correct++;
    const e = events.get(o.confidence) ?? { lostCorrect: 0, caughtOos: 0 };
    e.lostCorrect++;
    events.set(o.confidence, e);
  }
  for (const o of oos) {
    if (o.predicted === oosLabel) {
      caught++;
      continue;
    }
    const e = events.get(o.confidence) ?? { lostCorrect: 0, caughtOos: 0 };
    e.caughtOos++;
    events.set(o.confidence, e);
  }
  const nIn = Math.max(1, inScope.length);
  const nOos = oos.length;
  const score = (c: number, k: number): number => (1 - oosRate) * (c / nIn) + (nOos > 0 ? oosRate * (k / nOos) : 0);
  const levels = [...events.keys()].sort((a, b) => a - b);
  let best = { threshold: 0, correct, caught, score: score(correct, caught) };
  levels.forEach((level, i) => {
    const e = events.get(level)!;
    correct -= e.lostCorrect;
    caught += e.caughtOos;
    const s = score(correct, caught);
    // Strictly better only: among equal scores the lowest threshold (fewest rejections) wins.
    if (s > best.score + 1e-12) {
      const next = levels[i + 1];
      best = { threshold: next === undefined ? Math.min(1, level + 1e-6) : (level + next) / 2, correct, caught, score: s };
    }
  });
  return {
    threshold: best.threshold,
    inScopeAccuracy: best.correct / nIn,
    oosRecall: nOos > 0 ? best.caught / nOos : null,
  };
}

/** Outcomes of a classifier on labelled utterances (the threshold is not applied). */
export function outcomesOf(classifier: IntentClassifier, examples: Example[]): Outcome[] {
  return examples.map((e) => {
    const best = classifier.predict(e.text)[0];
    return { gold: e.intent, predicted: best?.name ?? '', confidence: best?.confidence ?? 0 };
  });
}

/**
 * Picks a confidence threshold on held-out examples (which should include some labelled `oosLabel`;
 * without any, nothing is gained by rejecting and the threshold is 0).
 */
export function thresholdOnHeldOut(
  classifier: IntentClassifier,
  heldOut: Example[],
  oosLabel = DEFAULT_OOS_LABEL,
  options: { oosRate?: number } = {},
): ThresholdChoice {
  return thresholdFromOutcomes(outcomesOf(classifier, heldOut), oosLabel, options.oosRate);
}
