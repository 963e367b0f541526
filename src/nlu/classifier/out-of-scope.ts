/**
 * Out-of-scope detection: an utterance is out of scope when the classifier's best intent is the
 * out-of-scope label itself (a bot may train one from examples) or when its confidence is under the
 * threshold.
 *
 * The threshold criterion, on held-out outcomes: reject as many out-of-scope utterances as possible
 * while rejecting at most a share `maxLoss` of the in-scope utterances answered right; among the
 * thresholds within that budget, maximise (1 - oosRate) × in-scope accuracy + oosRate × out-of-scope
 * recall (the accuracy callers would see if a share `oosRate` of what they say were out of scope),
 * where a wrongly rejected in-scope utterance counts as an error. The threshold is put midway between
 * the two confidences that bound the best choice.
 *
 * Defaults. With real out-of-scope examples: a budget of 0.3% of the right answers and a 10% share, as
 * answering in-scope requests comes first (on CLINC150 this rejects about 60% of out-of-scope requests
 * for less than half a point of in-scope accuracy). With out-of-scope utterances simulated by held-out
 * intents: a budget of 10% and a 20% share, as those are near misses from the bot's own domain, much
 * harder to tell from in-scope requests than what callers actually say off topic, and no threshold at
 * all would be found within a small budget.
 */
import type { Example, IntentClassifier, Prediction } from './classifier.ts';

export const DEFAULT_OOS_LABEL = 'oos';
export const DEFAULT_OOS_RATE = 0.1;
export const DEFAULT_MAX_LOSS = 0.003;
export const SIMULATED_OOS_RATE = 0.2;
export const SIMULATED_MAX_LOSS = 0.1;

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

/** Picks the threshold by the criterion above on held-out outcomes (with no loss budget unless given). */
export function thresholdFromOutcomes(
  outcomes: Outcome[],
  oosLabel = DEFAULT_OOS_LABEL,
  oosRate = DEFAULT_OOS_RATE,
  /** Largest share of the right in-scope answers the threshold may reject (default: no limit). */
  maxLoss = 1,
): ThresholdChoice {
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
  const score = (c: number, k: number): number =>
    (1 - oosRate) * (c / nIn) + (nOos > 0 ? oosRate * (k / nOos) : 0);
  const levels = [...events.keys()].sort((a, b) => a - b);
  const mustKeep = (1 - maxLoss) * correct - 1e-9;
  let best = { threshold: 0, correct, caught, score: score(correct, caught) };
  levels.forEach((level, i) => {
    const e = events.get(level)!;
    correct -= e.lostCorrect;
    caught += e.caughtOos;
    if (correct < mustKeep) return;
    const s = score(correct, caught);
    // Strictly better only: among equal scores the lowest threshold (fewest rejections) wins.
    if (s > best.score + 1e-12) {
      const next = levels[i + 1];
      best = {
        threshold: next === undefined ? Math.min(1, level + 1e-6) : (level + next) / 2,
        correct,
        caught,
        score: s,
      };
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
  options: { oosRate?: number; maxLoss?: number } = {},
): ThresholdChoice {
  return thresholdFromOutcomes(
    outcomesOf(classifier, heldOut),
    oosLabel,
    options.oosRate ?? DEFAULT_OOS_RATE,
    options.maxLoss ?? DEFAULT_MAX_LOSS,
  );
}
