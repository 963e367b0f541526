import { describe, expect, it } from 'vitest';
import { isParleyError } from '../../errors.ts';
import { loadClassifier, trainClassifier, type Example } from './classifier.ts';
import { seededRandom, shuffleInPlace } from './random.ts';
import { sampleExamples, sampleParaphrases } from './testing/sample-examples.ts';

const classifier = trainClassifier(sampleExamples);

function errorCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isParleyError(error) ? error.code : 'not a ParleyError';
  }
  return undefined;
}

describe('intent classifier', () => {
  it.each(sampleParaphrases.map((e) => [e.text, e.intent]))(
    'understands the unseen %j as %s',
    (text, intent) => {
      expect(classifier.predict(text)[0]?.name).toBe(intent);
    },
  );

  it('ranks every intent, best first, with confidences in 0..1 summing to at most 1', () => {
    const ranked = classifier.predict('I would like to check how much money I have');
    expect(ranked.map((p) => p.name).sort()).toEqual([...classifier.intents]);
    expect(ranked[0]?.name).toBe('check_balance');
    const confidences = ranked.map((p) => p.confidence);
    expect(confidences).toEqual([...confidences].sort((a, b) => b - a));
    for (const c of confidences) expect(c).toBeGreaterThanOrEqual(0);
    const sum = confidences.reduce((a, b) => a + b, 0);
    expect(sum).toBeLessThanOrEqual(1 + 1e-9);
    expect(sum).toBeGreaterThan(0.99);
  });

  it('is more confident on a training-like utterance than on one from another domain', () => {
    const inDomain = classifier.predict('I lost my debit card')[0]!.confidence;
    const offTopic = classifier.predict('what will the weather be like in paris')[0]!.confidence;
    expect(inDomain).toBeGreaterThan(0.5);
    expect(offTopic).toBeLessThan(inDomain);
  });

  it('gives an answer for empty or unknown input without failing', () => {
    for (const text of ['', '   ', '?!', 'zzqx vvwk']) {
      const ranked = classifier.predict(text);
      expect(ranked).toHaveLength(classifier.intents.length);
      expect(ranked.every((p) => Number.isFinite(p.confidence))).toBe(true);
    }
  });

  it('trains the same model from the same examples in any order', () => {
    const shuffled = [...sampleExamples];
    shuffleInPlace(shuffled, seededRandom(42));
    const again = trainClassifier(shuffled);
    expect(JSON.stringify(again.toJSON())).toBe(JSON.stringify(classifier.toJSON()));
  });

  it('predicts exactly the same after a JSON round trip', () => {
    const restored = loadClassifier(JSON.parse(JSON.stringify(classifier.toJSON())));
    expect(restored.intents).toEqual(classifier.intents);
    for (const { text } of [...sampleParaphrases, { text: 'tell me a joke' }]) {
      expect(restored.predict(text)).toEqual(classifier.predict(text));
    }
  });

  it('keeps a threshold it is given, through JSON too', () => {
    const strict = classifier.withThreshold(0.4);
    expect(strict.threshold).toBe(0.4);
    expect(classifier.threshold).toBe(0);
    expect(loadClassifier(JSON.parse(JSON.stringify(strict.toJSON()))).threshold).toBe(0.4);
    expect(errorCode(() => classifier.withThreshold(1.5))).toBe('PARLEY_ERR_NLU_DATA');
  });

  it('works with a single intent', () => {
    const one = trainClassifier([{ text: 'hello there', intent: 'greet' }]);
    expect(one.predict('hello')).toEqual([{ name: 'greet', confidence: 1 }]);
  });

  it('refuses bad training data and damaged models with a data error', () => {
    expect(errorCode(() => trainClassifier([]))).toBe('PARLEY_ERR_NLU_DATA');
    expect(errorCode(() => trainClassifier([{ text: 'hi' } as Example]))).toBe('PARLEY_ERR_NLU_DATA');
    expect(errorCode(() => loadClassifier({ format: 'something else' }))).toBe('PARLEY_ERR_NLU_DATA');
    expect(errorCode(() => loadClassifier(null))).toBe('PARLEY_ERR_NLU_DATA');
    const damaged = classifier.toJSON() as { members: Array<{ model: { weights: string } }> };
    damaged.members[0]!.model.weights = damaged.members[0]!.model.weights.slice(0, 40);
    expect(errorCode(() => loadClassifier(damaged))).toBe('PARLEY_ERR_NLU_DATA');
  });
});
