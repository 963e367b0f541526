import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBotFolder } from '../../../bot/load.ts';
import {
  sampleExamples,
  sampleOutOfScope,
  sampleParaphrases,
} from '../../../nlu/classifier/testing/sample-examples.ts';
import { nluCommand } from './nlu.ts';

const bankBot = fileURLToPath(new URL('../../../../examples/bank', import.meta.url));
const jsonl = (examples: Array<{ text: string; intent: string }>): string =>
  examples.map((e) => JSON.stringify(e)).join('\n');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parley-nlu-cli-'));
  await writeFile(join(dir, 'train.jsonl'), jsonl([...sampleExamples, ...sampleOutOfScope]));
  await writeFile(
    join(dir, 'test.jsonl'),
    jsonl([...sampleParaphrases, { text: 'is it going to snow in oslo', intent: 'oos' }]),
  );
  await writeFile(
    join(dir, 'broken.jsonl'),
    `${jsonl(sampleParaphrases.slice(0, 2))}\n{"text": "no intent"}\n`,
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(...args: string[]): Promise<{ out: string; err: string }> {
  let out = '';
  let err = '';
  const command = nluCommand({ out: (t) => (out += t), err: (t) => (err += t) }).exitOverride();
  for (const sub of command.commands) sub.exitOverride().configureOutput({ writeErr: (t) => (err += t) });
  await command.parseAsync(args, { from: 'user' });
  return { out, err };
}

describe('parley nlu eval', () => {
  it('prints a report table, with progress on stderr', async () => {
    const { out, err } = await run(
      'eval',
      '--train',
      join(dir, 'train.jsonl'),
      '--test',
      join(dir, 'test.jsonl'),
      '--folds',
      '3',
    );
    expect(out).toMatch(/in-scope accuracy\s+\d+\.\d\d %/);
    expect(out).toMatch(/Out-of-scope threshold 0\.\d{3} \(cross-validation on out-of-scope examples/);
    expect(out).toContain('Tested on 9 utterances (8 in scope, 1 out of scope).');
    expect(err).toContain('training on 84 examples, testing on 9');
    expect(err).toContain('cross-validation 100%');
  });

  it('prints JSON with --json', async () => {
    const { out } = await run(
      'eval',
      '--train',
      join(dir, 'train.jsonl'),
      '--test',
      join(dir, 'test.jsonl'),
      '--json',
      '--threshold',
      'never',
    );
    const report = JSON.parse(out) as {
      accuracy: number;
      oosRecall: number;
      perIntent: unknown[];
      confusions: unknown[];
      threshold: number;
    };
    expect(report.accuracy).toBeGreaterThanOrEqual(0.75);
    expect(report.threshold).toBe(0);
    expect(report.oosRecall === 0 || report.oosRecall === 1).toBe(true);
    expect(report.perIntent.length).toBeGreaterThanOrEqual(7);
    expect(Array.isArray(report.confusions)).toBe(true);
  });

  it('trains from a bot folder', async () => {
    const bot = await loadBotFolder(bankBot);
    const test = bot.intents.map((i) => ({ text: i.utterances[0]!, intent: i.name }));
    await writeFile(join(dir, 'bank-test.jsonl'), jsonl(test));
    const { out } = await run('eval', bankBot, '--test', join(dir, 'bank-test.jsonl'), '--json');
    expect((JSON.parse(out) as { accuracy: number; intents: number }).intents).toBe(bot.intents.length);
  });

  it('names the file and line of a malformed example', async () => {
    await expect(
      run('eval', '--train', join(dir, 'broken.jsonl'), '--test', join(dir, 'test.jsonl')),
    ).rejects.toThrow(`${join(dir, 'broken.jsonl')}:3: "intent" must be a non-empty string`);
  });

  it('asks for exactly one training source', async () => {
    await expect(run('eval', '--test', join(dir, 'test.jsonl'))).rejects.toThrow(
      'give a bot folder or --train',
    );
    await expect(
      run('eval', bankBot, '--train', join(dir, 'train.jsonl'), '--test', join(dir, 'test.jsonl')),
    ).rejects.toThrow('not both');
    await expect(
      run('eval', '--train', join(dir, 'train.jsonl'), '--test', join(dir, 'test.jsonl'), '--threshold', '2'),
    ).rejects.toThrow("argument '2' is invalid");
  });
});
