import { Command, InvalidArgumentError } from 'commander';
import { loadBotFolder } from '../../../bot/load.ts';
import { ParleyError } from '../../../errors.ts';
import type { Example } from '../../../nlu/classifier/classifier.ts';
import { evaluate, type EvaluateOptions, type Progress } from '../../../nlu/eval/evaluate.ts';
import { formatReport } from '../../../nlu/eval/format.ts';
import { readExamples } from '../../../nlu/eval/jsonl.ts';

interface EvalFlags {
  train?: string;
  test: string;
  json?: boolean;
  oosLabel: string;
  threshold: EvaluateOptions['threshold'];
  folds: number;
  oosRate?: number;
  maxLoss?: number;
}

function parseThreshold(value: string): NonNullable<EvaluateOptions['threshold']> {
  if (value === 'auto' || value === 'always' || value === 'never') return value;
  const n = Number(value);
  if (value.trim() === '' || !(n >= 0 && n <= 1))
    throw new InvalidArgumentError("expected 'auto', 'always', 'never' or a number in 0..1");
  return n;
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 2) throw new InvalidArgumentError('expected a whole number of at least 2');
  return n;
}

function parseShare(value: string): number {
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError('expected a number in 0..1');
  return n;
}

export interface NluCommandIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const processIo: NluCommandIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Progress lines on stderr: one per stage and quarter, so long runs show they are alive. */
function progressLines(err: (text: string) => void): Progress {
  let last = '';
  return (stage, fraction) => {
    const step = `${stage} ${Math.floor(fraction * 4) * 25}%`;
    if (step === last) return;
    last = step;
    err(`${step}\n`);
  };
}

async function botExamples(dir: string): Promise<Example[]> {
  const bot = await loadBotFolder(dir);
  return bot.intents.flatMap((intent) => intent.utterances.map((text) => ({ text, intent: intent.name })));
}

/** `parley nlu`; output goes to stdout and progress to stderr unless `io` says otherwise. */
export function nluCommand(io: NluCommandIo = processIo): Command {
  const evalCommand = new Command('eval')
    .description('train the built-in intent classifier and measure it on labelled test utterances')
    .argument('[botDir]', 'train on the intents of this bot folder (instead of --train)')
    .option('--train <file>', 'training examples, JSON Lines of {"text": ..., "intent": ...}')
    .requiredOption('--test <file>', 'test examples, JSON Lines of {"text": ..., "intent": ...}')
    .option('--json', 'print the report as JSON')
    .option('--oos-label <name>', 'the intent name of out-of-scope utterances', 'oos')
    .option(
      '--threshold <value>',
      "out-of-scope threshold: 'auto' (estimate when the training set has out-of-scope examples), 'always', 'never' or a number",
      parseThreshold,
      'auto',
    )
    .option('--folds <n>', 'cross-validation folds for the threshold', parseCount, 4)
    .option(
      '--oos-rate <share>',
      'threshold criterion: expected share of out-of-scope utterances (default 0.1, 0.2 when simulated)',
      parseShare,
    )
    .option(
      '--max-loss <share>',
      'threshold criterion: largest share of right in-scope answers it may reject (default 0.003, 0.1 when simulated)',
      parseShare,
    )
    .action(async (botDir: string | undefined, flags: EvalFlags) => {
      if (botDir !== undefined && flags.train !== undefined) {
        throw new ParleyError(
          'PARLEY_ERR_BAD_REQUEST',
          'give either a bot folder or --train <file>, not both',
        );
      }
      if (botDir === undefined && flags.train === undefined) {
        throw new ParleyError('PARLEY_ERR_BAD_REQUEST', 'give a bot folder or --train <file> to train on');
      }
      const progress = progressLines(io.err);
      const train = botDir !== undefined ? await botExamples(botDir) : await readExamples(flags.train!);
      const test = await readExamples(flags.test);
      io.err(`training on ${train.length} examples, testing on ${test.length}\n`);
      const report = evaluate(train, test, {
        oosLabel: flags.oosLabel,
        threshold: flags.threshold,
        folds: flags.folds,
        oosRate: flags.oosRate,
        maxLoss: flags.maxLoss,
        onProgress: progress,
      });
      io.out(flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
    });
  return new Command('nlu').description('natural-language understanding tools').addCommand(evalCommand);
}
