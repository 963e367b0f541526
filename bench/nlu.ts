/**
 * `npm run bench:nlu`: Parley's intent classifier against nlp.js on four public intent datasets,
 * trained on each `train` split and measured on its `valid` split, all in one run.
 *
 * Environment: PARLEY_BENCH_NLU_DATA (folder of the datasets, default ../shared/nlu-benchmarks beside the
 * repository), PARLEY_BENCH_NLU_SETS (comma-separated subset), PARLEY_BENCH_NLU_ENGINES (parley,nlpjs).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readExamples } from '../src/nlu/eval/jsonl.ts';
import { table } from '../src/nlu/eval/format.ts';
import { runNlpjs, runParley, type EngineResult } from './nlu-engines.ts';

const dataDir =
  process.env.PARLEY_BENCH_NLU_DATA ?? fileURLToPath(new URL('../../shared/nlu-benchmarks', import.meta.url));
const sets = (process.env.PARLEY_BENCH_NLU_SETS ?? 'clinc150,banking77,hwu64,snips').split(',');
const engines = (process.env.PARLEY_BENCH_NLU_ENGINES ?? 'parley,nlpjs').split(',');
const oosLabel = 'oos';

const pct = (v: number | null): string => (v === null ? '-' : (100 * v).toFixed(2));
const seconds = (ms: number): string => (ms / 1000).toFixed(1);

if (!existsSync(dataDir)) {
  process.stderr.write(`no datasets at ${dataDir}; set PARLEY_BENCH_NLU_DATA\n`);
  process.exit(1);
}

const rows: string[][] = [];
for (const set of sets) {
  const train = await readExamples(join(dataDir, set, 'train.jsonl'));
  const valid = await readExamples(join(dataDir, set, 'valid.jsonl'));
  const intents = new Set(train.map((e) => e.intent).filter((i) => i !== oosLabel)).size;
  for (const engine of engines) {
    process.stderr.write(
      `${set}: ${engine} on ${train.length} training and ${valid.length} test utterances, ${intents} intents...\n`,
    );
    const r: EngineResult =
      engine === 'nlpjs' ? await runNlpjs(train, valid, oosLabel) : runParley(train, valid, oosLabel);
    process.stderr.write(`${set}: ${engine} done, trained in ${seconds(r.trainMs)} s\n`);
    rows.push([
      set,
      r.engine,
      pct(r.accuracy),
      pct(r.oosRecall),
      seconds(r.trainMs),
      r.thresholdMs > 0 ? seconds(r.thresholdMs) : '-',
      r.p50Ms.toFixed(3),
      r.p99Ms.toFixed(3),
      r.note,
    ]);
  }
}

process.stdout.write(
  `\nIntent classification, train split -> valid split (accuracy on in-scope utterances, %)\n\n${table(
    ['dataset', 'engine', 'accuracy', 'oos recall', 'train s', 'threshold s', 'p50 ms', 'p99 ms', 'note'],
    rows,
  )}\n\nthreshold s: cross-validation on the training split to choose the out-of-scope threshold (Parley, when the training split has out-of-scope examples).\n`,
);
