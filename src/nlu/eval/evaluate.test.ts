import { describe, expect, it } from 'vitest';
import {
  sampleExamples,
  sampleOutOfScope,
  sampleParaphrases,
} from '../classifier/testing/sample-examples.ts';
import { evaluate } from './evaluate.ts';
import { formatReport } from './format.ts';

const oosTest = [
  'is it going to snow in oslo',
  'sing me a song',
  'who directed the godfather',
  'how do I fix a flat tyre',
].map((text) => ({ text, intent: 'oos' }));

describe('batch evaluation', () => {
  it('trains, decides and measures an in-scope test set without a threshold', () => {
    const report = evaluate(sampleExamples, sampleParaphrases);
    expect(report.thresholdSource).toBe('none');
    expect(report.threshold).toBe(0);
    expect(report.trainExamples).toBe(sampleExamples.length);
    expect(report.intents).toBe(6);
    expect(report.accuracy).toBe(1);
    expect(report.oosRecall).toBeNull();
    expect(report.perIntent.find((m) => m.intent === 'lost_card')).toMatchObject({
      support: 2,
      recall: 1,
      precision: 1,
    });
    expect(report.timing.predictP99Ms).toBeGreaterThanOrEqual(report.timing.predictP50Ms);
  });

  it('estimates a threshold from out-of-scope training examples and reports out-of-scope recall', () => {
    const stages = new Set<string>();
    const report = evaluate([...sampleExamples, ...sampleOutOfScope], [...sampleParaphrases, ...oosTest], {
      folds: 3,
      onProgress: (stage) => stages.add(stage),
    });
    expect(report.thresholdSource).toBe('cross-validation on out-of-scope examples');
    expect(report.intents).toBe(6);
    expect(report.oosExamples).toBe(4);
    expect(report.oosRecall).toBeGreaterThanOrEqual(0.75);
    expect(report.accuracy).toBeGreaterThanOrEqual(0.75);
    expect([...stages]).toEqual(expect.arrayContaining(['training', 'cross-validation', 'predicting']));
  });

  it('applies a given threshold, or holds out intents when asked to always estimate one', () => {
    const everything = evaluate(sampleExamples, [...sampleParaphrases, ...oosTest], { threshold: 1 });
    expect(everything.thresholdSource).toBe('given');
    expect(everything.accuracy).toBe(0);
    expect(everything.oosRecall).toBe(1);
    const simulated = evaluate(sampleExamples, oosTest, { threshold: 'always', folds: 3 });
    expect(simulated.thresholdSource).toBe('cross-validation on held-out intents');
    expect(simulated.threshold).toBeGreaterThan(0);
  });

  it('formats a readable report', () => {
    const text = formatReport(
      evaluate(sampleExamples, [...sampleParaphrases, { text: 'book me a flight', intent: 'oos' }]),
    );
    expect(text).toMatch(/in-scope accuracy\s+100\.00 %/);
    expect(text).toMatch(/out-of-scope recall\s+0\.00 %/);
    expect(text).toContain('Per intent, worst F1 first:');
    expect(text).toMatch(/oos\s+0\.0\s+0\.0\s+0\.0\s+1/);
    expect(text).toContain('Most confused (gold -> predicted):');
  });
});
