import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadBotFolder } from './load.ts';
import { BotInvalidError, type BotProblem } from './problems.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function copyOfBank(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bot-'));
  dirs.push(dir);
  cpSync('examples/bank', dir, { recursive: true });
  return dir;
}

function edit(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`fixture text not found: ${from}`);
  writeFileSync(file, text.replace(from, to));
}

async function problemsOf(dir: string): Promise<BotProblem[]> {
  try {
    await loadBotFolder(dir);
  } catch (e) {
    if (e instanceof BotInvalidError) return e.problems;
    throw e;
  }
  throw new Error('the bot loaded although it is broken');
}

function lineOf(file: string, text: string): number {
  return readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;
}

describe('bot folder loading', () => {
  it('loads the demo bot with defaults applied', async () => {
    const bot = await loadBotFolder('examples/bank');
    expect(bot.id).toBe('bank');
    expect(Object.keys(bot.dialogs)).toContain('check_balance');
    expect(bot.entities.pin).toMatchObject({ type: 'digits', sensitive: true, minLength: 4, maxLength: 4 });
    const ask = bot.dialogs.check_balance?.nodes[0];
    expect(ask).toMatchObject({ type: 'prompt', retries: 2, onExhausted: { action: 'escalate' } });
    expect(bot.settings.ivr).toMatchObject({ dataKey: 'userinput', confidenceKey: 'userinput.confidence', confidenceThreshold: 50 });
  });

  it('names file, line and field for a schema violation', async () => {
    const dir = copyOfBank();
    const file = join(dir, 'entities.yaml');
    edit(file, '    minLength: 8', '    minLength: eight');
    const problems = await problemsOf(dir);
    expect(problems).toContainEqual({ file, line: lineOf(file, 'minLength: eight'), field: 'entities.accountNumber.minLength', message: 'must be integer' });
  });

  it('names unknown fields and unknown node types', async () => {
    const dir = copyOfBank();
    const file = join(dir, 'dialogs', 'opening-hours.yaml');
    edit(file, '    type: message', '    type: mesage');
    const bot = join(dir, 'bot.yaml');
    edit(bot, 'language: en', 'language: en\ncolour: blue');
    const problems = await problemsOf(dir);
    expect(problems).toContainEqual(expect.objectContaining({ file, line: lineOf(file, 'type: mesage'), field: 'nodes[0].type' }));
    expect(problems).toContainEqual(expect.objectContaining({ file: bot, line: lineOf(bot, 'colour'), field: 'colour', message: "unknown field 'colour'" }));
  });

  it('reports references between files: unknown entity, node, intent and bad expressions', async () => {
    const dir = copyOfBank();
    const file = join(dir, 'dialogs', 'check-balance.yaml');
    edit(file, 'entity: pin', 'entity: pinn');
    edit(file, 'onError: not_verified', 'onError: nowhere');
    const pay = join(dir, 'dialogs', 'make-payment.yaml');
    edit(pay, 'entities.amount.amount > 5000', 'entities.amount.amount >> 5000');
    edit(join(dir, 'dialogs', 'goodbye.yaml'), 'intent: goodbye', 'intent: farewell');
    const problems = await problemsOf(dir);
    expect(problems).toContainEqual(expect.objectContaining({ file, line: lineOf(file, 'entity: pinn'), field: 'nodes[1].entity' }));
    expect(problems).toContainEqual(expect.objectContaining({ file, line: lineOf(file, 'onError: nowhere'), field: 'nodes[2].onError' }));
    expect(problems.find((p) => p.file === pay)).toMatchObject({ line: lineOf(pay, '>> 5000'), field: 'nodes[2].set.session.largePayment' });
    expect(problems.find((p) => p.message.includes("unknown intent 'farewell'"))).toBeDefined();
  });

  it('reports YAML syntax errors with their line and loads nothing', async () => {
    const dir = copyOfBank();
    const file = join(dir, 'intents.yaml');
    writeFileSync(file, 'intents:\n  a: [unclosed\n');
    const problems = await problemsOf(dir);
    expect(problems[0]).toMatchObject({ file });
    expect(problems[0]?.message).toMatch(/^YAML syntax/);
  });

  it('refuses a folder without bot.yaml with a hint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-empty-'));
    dirs.push(dir);
    const problems = await problemsOf(dir);
    expect(problems[0]?.message).toContain('parley init');
  });
});
