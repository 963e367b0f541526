import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { BotInvalidError, type BotProblem } from '../problems.ts';
import { validateAgainst } from '../validate-schema.ts';
import { YamlSource } from '../yaml-source.ts';
import { TestFileSchema, type TestFile } from './script-schema.ts';

export interface LoadedTestFile {
  file: string;
  tests: TestFile;
}

/** Reads a bot's `tests/*.yaml` (conversation scripts and utterance tests), refusing malformed ones with lines. */
export async function loadBotTests(dir: string): Promise<LoadedTestFile[]> {
  const testDir = join(dir, 'tests');
  if (!existsSync(testDir)) return [];
  const files = (await readdir(testDir)).filter((f) => /\.ya?ml$/.test(f)).sort();
  const problems: BotProblem[] = [];
  const out: LoadedTestFile[] = [];
  for (const f of files) {
    const full = join(testDir, f);
    const rel = relative(process.cwd(), full);
    const src = new YamlSource(rel && !rel.startsWith('..') ? rel : full, await readFile(full, 'utf8'));
    problems.push(...src.problems);
    if (src.problems.length) continue;
    const found = validateAgainst(src, TestFileSchema, src.value);
    problems.push(...found);
    if (!found.length) out.push({ file: src.file, tests: src.value as TestFile });
  }
  if (problems.length) throw new BotInvalidError(testDir, problems);
  return out;
}
