/**
 * Utterances to run the shared analysis and the pre-filters over: every string written in the entity
 * extractors' own tests (so a new test case is checked too), and a few more that name amounts, times and
 * references in passing. Strings that are not utterances ("2025-03-13", "USD") do no harm.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const folder = join(dirname(fileURLToPath(import.meta.url)), '..');
const QUOTED = /'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"/gu;

const EXTRA = [
  'what are your opening hours',
  'when are you open on saturday',
  'what time do you close',
  'how much money do I have',
  'i am locked out of my account',
  'is there after hours support',
  'my account number is 12345678',
  'i want to transfer 50 dollars to savings',
  'send $25.50 to my savings on Monday morning',
  "Monday's fine",
  'in an hour',
  'half an hour from now',
  'a couple of days ago',
  'a few weeks later',
  'several hours later',
  'over the past few weeks',
  'within the hour',
  'last week',
  'next month',
  'this quarter',
  'last night',
  'this morning',
  'end of the month',
  'the last day of the month',
  'call me back in five minutes',
  'at noon tomorrow',
  'the second option please',
  'the first of june',
  'oh oh seven',
  'double oh seven',
  'plus four four two oh seven nine four six oh nine five eight',
  'my email is j o h n at example dot com',
  'one point five million',
];

function literals(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(QUOTED)) {
    const text = (m[1] ?? m[2] ?? '').replace(/\\(.)/gu, '$1');
    if (text.trim().length > 0 && !text.startsWith('./') && !text.startsWith('../')) out.push(text);
  }
  return out;
}

/** The utterances, without repeats. */
export function testUtterances(): string[] {
  const texts = new Set(EXTRA);
  for (const file of readdirSync(folder))
    if (file.endsWith('.test.ts'))
      for (const text of literals(readFileSync(join(folder, file), 'utf8'))) texts.add(text);
  return [...texts];
}
