import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExamples, readExamples } from './jsonl.ts';

async function failure(promise: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error('expected a failure');
}

describe('JSON Lines examples', () => {
  it('reads one example per line and skips blank lines', () => {
    const text = '{"text": "hi", "intent": "greet"}\n\n  {"text": "bye", "intent": "leave", "extra": 1}  \n';
    expect(parseExamples(text, 'x.jsonl')).toEqual([
      { text: 'hi', intent: 'greet' },
      { text: 'bye', intent: 'leave' },
    ]);
  });

  it.each([
    ['{"text": "hi", "intent": "greet"}\n{"text": "oops"', 'train.jsonl:2: not valid JSON'],
    ['{"text": "hi", "intent": "greet"}\n\n[1, 2]', 'train.jsonl:3: expected an object'],
    ['{"text": 5, "intent": "greet"}', 'train.jsonl:1: "text" must be a string'],
    ['{"text": "hi"}', 'train.jsonl:1: "intent" must be a non-empty string'],
  ])('names the file and line of a malformed line (%#)', (text, message) => {
    expect(() => parseExamples(text, 'train.jsonl')).toThrow(message);
  });

  it('reads files, with a data error for a missing, malformed or empty one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'parley-jsonl-'));
    const good = join(dir, 'good.jsonl');
    await writeFile(good, '{"text": "hi", "intent": "greet"}\n');
    expect(await readExamples(good)).toEqual([{ text: 'hi', intent: 'greet' }]);

    const bad = join(dir, 'bad.jsonl');
    await writeFile(bad, '{"text": "hi", "intent": "greet"}\nnot json\n');
    const e = await failure(readExamples(bad));
    expect(e.code).toBe('PARLEY_ERR_NLU_DATA');
    expect(e.message).toContain(`${bad}:2:`);

    const empty = join(dir, 'empty.jsonl');
    await writeFile(empty, '\n');
    expect((await failure(readExamples(empty))).message).toContain('holds no examples');
    expect((await failure(readExamples(join(dir, 'missing.jsonl')))).code).toBe('PARLEY_ERR_NLU_DATA');
  });
});
