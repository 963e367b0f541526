import { describe, expect, it } from 'vitest';
import { trainClassifier } from './classifier.ts';
import { chooseThreshold } from './choose-threshold.ts';
import { estimateThreshold } from './cross-validation.ts';
import { decide, thresholdFromOutcomes, type Outcome } from './out-of-scope.ts';
import { sampleExamples, sampleOutOfScope, sampleParaphrases } from './testing/sample-examples.ts';

const o = (gold: string, predicted: string, confidence: number): Outcome => ({ gold, predicted, confidence });

describe('threshold from held-out outcomes', () => {
  // 4 in scope (3 right, at 0.9, 0.8, 0.3; 1 wrong at 0.4) and 2 out of scope (at 0.2, 0.35).
  const outcomes = [
    o('a', 'a', 0.9),
    o('b', 'b', 0.8),
    o('a', 'a', 0.3),
    o('b', 'a', 0.4),
    o('oos', 'a', 0.2),
    o('oos', 'b', 0.35),
  ];

  it('rejects out-of-scope utterances as long as it pays under the criterion', () => {
    // t = 0 scores 0.9 * 3/4; rejecting <= 0.2 adds 0.1 * 1/2; then rejecting 0.3 loses 0.9 / 4 for no gain.
    const choice = thresholdFromOutcomes(outcomes, 'oos', 0.1);
    expect(choice.threshold).toBeCloseTo(0.25, 10);
    expect(choice.inScopeAccuracy).toBe(0.75);
    expect(choice.oosRecall).toBe(0.5);
  });

  it('goes further when out-of-scope traffic is expected to be common', () => {
    // With half the traffic out of scope, rejecting up to 0.35 trades 1/4 in-scope for 1/2 recall. The
    // threshold lands midway to the next confidence that matters (0.8; the wrong answer at 0.4 does not).
    const choice = thresholdFromOutcomes(outcomes, 'oos', 0.5);
    expect(choice.threshold).toBeCloseTo(0.575, 10);
    expect(choice.inScopeAccuracy).toBe(0.5);
    expect(choice.oosRecall).toBe(1);
  });

  it('counts out-of-scope utterances the model already labels out of scope as caught', () => {
    const choice = thresholdFromOutcomes([o('a', 'a', 0.9), o('oos', 'oos', 0.8)], 'oos', 0.1);
    expect(choice).toEqual({ threshold: 0, inScopeAccuracy: 1, oosRecall: 1 });
  });

  it('never rejects when there is nothing out of scope to catch', () => {
    expect(thresholdFromOutcomes([o('a', 'a', 0.2), o('b', 'a', 0.1)]).threshold).toBe(0);
  });
});

describe('out-of-scope decisions', () => {
  const withOos = trainClassifier([...sampleExamples, ...sampleOutOfScope]);

  it('answers out of scope below the threshold and keeps the ranking', () => {
    const plain = trainClassifier(sampleExamples);
    const text = 'what will the weather be like in paris';
    const confidence = plain.predict(text)[0]!.confidence;
    expect(decide(plain.withThreshold(confidence + 0.01), text)).toMatchObject({
      name: 'oos',
      outOfScope: true,
      confidence,
    });
    expect(decide(plain.withThreshold(confidence - 0.01), text)).toMatchObject({
      outOfScope: false,
      confidence,
    });
    expect(decide(plain, text).ranked).toEqual(plain.predict(text));
  });

  it('learns out-of-scope examples as their own label', () => {
    expect(decide(withOos, 'will it rain in london tomorrow').name).toBe('oos');
    expect(decide(withOos, 'uh I lost my card').name).toBe('lost_card');
  });

  it('chooses a threshold on held-out data that keeps paraphrases and rejects strangers', () => {
    const plain = trainClassifier(sampleExamples);
    const heldOut = [
      ...sampleParaphrases,
      ...['is it going to snow in oslo', 'sing me a song', 'what is two plus two'].map((text) => ({
        text,
        intent: 'oos',
      })),
    ];
    const threshold = chooseThreshold(plain, heldOut, 'oos', { oosRate: 0.5 });
    expect(threshold).toBeGreaterThan(0);
    const guarded = plain.withThreshold(threshold);
    expect(
      sampleParaphrases.filter((e) => decide(guarded, e.text).name === e.intent).length,
    ).toBeGreaterThanOrEqual(6);
    expect(decide(guarded, 'is it going to snow in oslo').outOfScope).toBe(true);
  });

  it('gives a bot without out-of-scope examples a sensible default by holding out intents', () => {
    const estimate = estimateThreshold(sampleExamples, { folds: 3 });
    expect(estimate.negatives).toBe('held-out intents');
    expect(estimate.threshold).toBeGreaterThan(0);
    expect(estimate.threshold).toBeLessThan(1);
    expect(chooseThreshold(sampleExamples, { folds: 3 })).toBe(estimate.threshold);
    const guarded = trainClassifier(sampleExamples).withThreshold(estimate.threshold);
    const kept = sampleParaphrases.filter((e) => decide(guarded, e.text).name === e.intent).length;
    const rejected = sampleOutOfScope.filter((e) => decide(guarded, e.text).outOfScope).length;
    expect(kept).toBe(sampleParaphrases.length);
    expect(rejected).toBeGreaterThanOrEqual(sampleOutOfScope.length / 3);
  });

  it('uses real out-of-scope examples when the bot has them, and cannot tell with too few intents', () => {
    expect(estimateThreshold([...sampleExamples, ...sampleOutOfScope], { folds: 3 }).negatives).toBe(
      'examples',
    );
    const two = sampleExamples.filter((e) => e.intent === 'pay_bill' || e.intent === 'lost_card');
    expect(estimateThreshold(two, { folds: 3 })).toMatchObject({ negatives: 'none', threshold: 0 });
    expect(chooseThreshold(two)).toBeUndefined();
  });

  it('is reproducible', () => {
    expect(estimateThreshold(sampleExamples, { folds: 3 }).threshold).toBe(
      estimateThreshold([...sampleExamples].reverse(), { folds: 3 }).threshold,
    );
  });
});
