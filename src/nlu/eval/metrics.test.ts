import { describe, expect, it } from 'vitest';
import { computeMetrics, type Decided } from './metrics.ts';

const d = (gold: string, predicted: string, times = 1): Decided[] =>
  Array.from({ length: times }, () => ({ gold, predicted }));

describe('evaluation metrics', () => {
  // 10 utterances: a x4 (3 right, 1 as b), b x3 (2 right, 1 rejected as oos), oos x3 (2 rejected, 1 as a).
  const decided = [
    ...d('a', 'a', 3),
    ...d('a', 'b'),
    ...d('b', 'b', 2),
    ...d('b', 'oos'),
    ...d('oos', 'oos', 2),
    ...d('oos', 'a'),
  ];
  const m = computeMetrics(decided, 'oos');

  it('measures in-scope accuracy, out-of-scope recall and overall accuracy', () => {
    expect(m.examples).toBe(10);
    expect(m.inScopeExamples).toBe(7);
    expect(m.oosExamples).toBe(3);
    expect(m.accuracy).toBeCloseTo(5 / 7, 12);
    expect(m.oosRecall).toBeCloseTo(2 / 3, 12);
    expect(m.overallAccuracy).toBeCloseTo(7 / 10, 12);
  });

  it('scores every intent, out of scope included', () => {
    const byIntent = Object.fromEntries(m.perIntent.map((x) => [x.intent, x]));
    // a: predicted 4 times (3 right), support 4.
    expect(byIntent.a).toMatchObject({ support: 4, predicted: 4, precision: 0.75, recall: 0.75, f1: 0.75 });
    // b: predicted 3 times (2 right), support 3.
    expect(byIntent.b!.precision).toBeCloseTo(2 / 3, 12);
    expect(byIntent.b!.recall).toBeCloseTo(2 / 3, 12);
    // oos: predicted 3 times (2 right), support 3.
    expect(byIntent.oos!.f1).toBeCloseTo(2 / 3, 12);
    expect(m.macroF1).toBeCloseTo((0.75 + 2 / 3 + 2 / 3) / 3, 12);
  });

  it('lists confusions, most frequent first', () => {
    const more = computeMetrics([...decided, ...d('a', 'b')], 'oos');
    expect(more.confusions[0]).toEqual({ gold: 'a', predicted: 'b', count: 2 });
    expect(more.confusions.map((c) => `${c.gold}>${c.predicted}`).sort()).toEqual(['a>b', 'b>oos', 'oos>a']);
    expect(computeMetrics(decided, 'oos', 1).confusions).toHaveLength(1);
  });

  it('leaves out what a test set cannot measure', () => {
    const inScopeOnly = computeMetrics(d('a', 'a', 2), 'oos');
    expect(inScopeOnly.oosRecall).toBeNull();
    expect(inScopeOnly.accuracy).toBe(1);
    expect(computeMetrics(d('oos', 'a'), 'oos').accuracy).toBeNull();
    const never = computeMetrics([...d('a', 'b'), ...d('b', 'b')], 'oos').perIntent.find(
      (x) => x.intent === 'a',
    );
    expect(never).toMatchObject({ precision: 0, recall: 0, f1: 0 });
  });
});
