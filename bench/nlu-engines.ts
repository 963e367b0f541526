/** The two engines of the NLU benchmark, each trained on one split and measured on another. */
import { containerBootstrap } from '@nlpjs/core';
import { LangEn } from '@nlpjs/lang-en-min';
import { Nlp } from '@nlpjs/nlp';
import type { Example } from '../src/nlu/classifier/index.ts';
import { evaluate } from '../src/nlu/eval/evaluate.ts';
import { computeMetrics, type Decided } from '../src/nlu/eval/metrics.ts';

export interface EngineResult {
  engine: string;
  /** In-scope accuracy and out-of-scope recall, 0..1 (recall null without out-of-scope test utterances). */
  accuracy: number | null;
  oosRecall: number | null;
  trainMs: number;
  /** Time spent choosing an out-of-scope threshold, when the engine does. */
  thresholdMs: number;
  p50Ms: number;
  p99Ms: number;
  note: string;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

export function runParley(train: Example[], test: Example[], oosLabel: string): EngineResult {
  const report = evaluate(train, test, { oosLabel });
  return {
    engine: 'parley',
    accuracy: report.accuracy,
    oosRecall: report.oosRecall,
    trainMs: report.timing.trainMs,
    thresholdMs: report.thresholdSource === 'none' ? 0 : report.timing.thresholdMs,
    p50Ms: report.timing.predictP50Ms,
    p99Ms: report.timing.predictP99Ms,
    note:
      report.thresholdSource === 'none'
        ? ''
        : `threshold ${report.threshold.toFixed(3)} by ${report.thresholdSource}`,
  };
}

/**
 * nlp.js (its Nlp class with the English minimal language pack), as an application would use it: every
 * example added as a document, then trained. Out of scope is its own 'None' answer (under its default
 * 0.5 threshold) or the out-of-scope label learnt from examples; on test sets without out-of-scope
 * utterances its threshold is set to 0 so that it always answers with its best intent.
 */
export async function runNlpjs(train: Example[], test: Example[], oosLabel: string): Promise<EngineResult> {
  const container = await containerBootstrap();
  // Its defaults for the per-language classifier, with training progress logs off.
  container.registerConfiguration(
    'nlu-??',
    {
      keepStopwords: true,
      nonefeatureValue: 1,
      nonedeltaMultiplier: 1.2,
      spellCheck: false,
      spellCheckDistance: 1,
      filterZeros: true,
      log: false,
    },
    true,
  );
  container.use(Nlp);
  container.use(LangEn);
  const nlp = container.get('nlp');
  nlp.settings.autoSave = false;
  nlp.settings.autoLoad = false;
  const hasOos = test.some((e) => e.intent === oosLabel);
  if (!hasOos) nlp.settings.threshold = 0;
  nlp.addLanguage('en');
  for (const e of train) nlp.addDocument('en', e.text, e.intent);
  let start = performance.now();
  await nlp.train();
  const trainMs = performance.now() - start;
  const decided: Decided[] = [];
  const latencies: number[] = [];
  for (const e of test) {
    start = performance.now();
    const result = await nlp.process('en', e.text);
    latencies.push(performance.now() - start);
    decided.push({ gold: e.intent, predicted: result.intent === 'None' ? oosLabel : result.intent });
  }
  const metrics = computeMetrics(decided, oosLabel);
  return {
    engine: 'nlp.js',
    accuracy: metrics.accuracy,
    oosRecall: metrics.oosRecall,
    trainMs,
    thresholdMs: 0,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    note: hasOos ? "threshold 0.5 (its default) -> 'None'" : '',
  };
}
