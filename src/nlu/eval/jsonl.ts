/** Intent examples as JSON Lines: one `{"text": ..., "intent": ...}` per line; blank lines are skipped. */
import { readFile } from 'node:fs/promises';
import { ParleyError } from '../../errors.ts';
import type { Example } from '../classifier/classifier.ts';

function lineError(file: string, line: number, problem: string): ParleyError {
  return new ParleyError('PARLEY_ERR_NLU_DATA', `${file}:${line}: ${problem}`, { details: { file, line } });
}

/** Parses JSONL text; `file` only names the source in error messages. */
export function parseExamples(text: string, file: string): Example[] {
  const examples: Example[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line.length === 0) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw lineError(file, i + 1, `not valid JSON (${(error as Error).message})`);
    }
    const record = value as { text?: unknown; intent?: unknown } | null;
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      throw lineError(file, i + 1, 'expected an object like {"text": "...", "intent": "..."}');
    }
    if (typeof record.text !== 'string') throw lineError(file, i + 1, '"text" must be a string');
    if (typeof record.intent !== 'string' || record.intent.length === 0)
      throw lineError(file, i + 1, '"intent" must be a non-empty string');
    examples.push({ text: record.text, intent: record.intent });
  });
  return examples;
}

export async function readExamples(file: string): Promise<Example[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ParleyError('PARLEY_ERR_NLU_DATA', `cannot read ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const examples = parseExamples(text, file);
  if (examples.length === 0) throw new ParleyError('PARLEY_ERR_NLU_DATA', `${file} holds no examples`);
  return examples;
}
