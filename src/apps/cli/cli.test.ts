import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const tmp = mkdtempSync(join(tmpdir(), 'parley-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function parley(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/parley.js', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('the parley command', () => {
  it('prints help with every command', () => {
    const r = parley('--help');
    expect(r.code).toBe(0);
    for (const c of ['serve', 'chat', 'validate', 'test', 'init', 'ivr', 'vxml']) expect(r.out).toContain(c);
  });

  it('validates the demo bot', () => {
    const r = parley('validate', 'examples/bank');
    expect(r.code).toBe(0);
    expect(r.out).toContain("bot 'bank' is valid");
  });

  it('passes the demo bot’s own conversation and utterance tests', () => {
    const r = parley('test', 'examples/bank');
    expect(r.out).toMatch(/\d+ passed, 0 failed/);
    expect(r.code).toBe(0);
  });

  it('refuses a broken bot with file, line and field, and exits non-zero', () => {
    const dir = join(tmp, 'broken');
    cpSync('examples/bank', dir, { recursive: true });
    const file = join(dir, 'dialogs', 'check-balance.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('retries: 2', 'retries: lots'));
    const r = parley('validate', dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain('PARLEY_ERR_BOT_INVALID');
    expect(r.err).toMatch(/check-balance\.yaml:\d+: nodes\[0\]\.retries: must be integer/);
  });

  it('scaffolds a bot that validates and passes its own tests', () => {
    const dir = join(tmp, 'my-shop');
    expect(parley('init', dir, '--name', 'My Shop').code).toBe(0);
    expect(parley('validate', dir).code).toBe(0);
    const r = parley('test', dir);
    expect(r.out).toContain('0 failed');
    expect(r.code).toBe(0);
    expect(parley('init', dir).code).toBe(1);
  });

  it('fails `parley test` when a conversation script does not hold', () => {
    const dir = join(tmp, 'regress');
    expect(parley('init', dir).code).toBe(0);
    const file = join(dir, 'tests', 'conversations.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('is on its way', 'has been lost'));
    const r = parley('test', dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain('expected the bot to say "Order 123456 has been lost"');
  });
});
