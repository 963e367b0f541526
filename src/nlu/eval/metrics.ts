/**
 * Classification metrics from decided test utterances (after the out-of-scope threshold):
 * - accuracy: share of in-scope utterances (gold intent not the out-of-scope label) answered with their
 *   intent; an in-scope utterance wrongly rejected as out of scope counts as an error;
 * - oosRecall: share of out-of-scope utterances rejected (null when the test set has none);
 * - overallAccuracy: share of all utterances answered right, out-of-scope ones included;
 * - per intent (the out-of-scope label included when it occurs): precision, recall, F1, support;
 * - the most frequent confusions (gold -> predicted), most frequent first.
 */

export interface Decided {
  gold: string;
  predicted: string;
}

export interface IntentMetrics {
  intent: string;
  precision: number;
  recall: number;
  f1: number;
  /** Test utterances whose gold intent this is. */
  support: number;
  /** Test utterances answered with this intent. */
  predicted: number;
}

export interface Confusion {
  gold: string;
  predicted: string;
  count: number;
}

export interface Metrics {
  examples: number;
  inScopeExamples: number;
  oosExamples: number;
  /** In 0..1; null when there is no in-scope utterance. */
  accuracy: number | null;
  oosRecall: number | null;
  overallAccuracy: number;
  /** Unweighted mean F1 over the intents with support. */
  macroF1: number;
  perIntent: IntentMetrics[];
  confusions: Confusion[];
}

export function computeMetrics(decided: Decided[], oosLabel = 'oos', maxConfusions = 20): Metrics {
  const support = new Map<string, number>();
  const predictedCount = new Map<string, number>();
  const truePositives = new Map<string, number>();
  const confusions = new Map<string, Confusion>();
  let inScope = 0;
  let inScopeRight = 0;
  let oos = 0;
  let oosRejected = 0;
  let right = 0;
  const bump = (map: Map<string, number>, key: string): void => {
    map.set(key, (map.get(key) ?? 0) + 1);
  };
  for (const { gold, predicted } of decided) {
    bump(support, gold);
    bump(predictedCount, predicted);
    const ok = gold === predicted;
    if (ok) {
      bump(truePositives, gold);
      right++;
    } else {
      const key = `${gold}\u0000${predicted}`;
      const c = confusions.get(key) ?? { gold, predicted, count: 0 };
      c.count++;
      confusions.set(key, c);
    }
    if (gold === oosLabel) {
      oos++;
      if (ok) oosRejected++;
    } else {
      inScope++;
      if (ok) inScopeRight++;
    }
  }
  const intents = [...new Set([...support.keys(), ...predictedCount.keys()])].sort();
  const perIntent = intents.map((intent): IntentMetrics => {
    const tp = truePositives.get(intent) ?? 0;
    const s = support.get(intent) ?? 0;
    const p = predictedCount.get(intent) ?? 0;
    const precision = p > 0 ? tp / p : 0;
    const recall = s > 0 ? tp / s : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { intent, precision, recall, f1, support: s, predicted: p };
  });
  const withSupport = perIntent.filter((m) => m.support > 0);
  return {
    examples: decided.length,
    inScopeExamples: inScope,
    oosExamples: oos,
    accuracy: inScope > 0 ? inScopeRight / inScope : null,
    oosRecall: oos > 0 ? oosRejected / oos : null,
    overallAccuracy: decided.length > 0 ? right / decided.length : 0,
    macroF1: withSupport.length > 0 ? withSupport.reduce((sum, m) => sum + m.f1, 0) / withSupport.length : 0,
    perIntent,
    confusions: [...confusions.values()]
      .sort((a, b) => b.count - a.count || (a.gold + a.predicted < b.gold + b.predicted ? -1 : 1))
      .slice(0, maxConfusions),
  };
}
