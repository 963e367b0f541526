/**
 * How far two recognitions of the same audio agree, from 0 to 1: one minus their word edit distance over
 * the longer one's length. Words that sound the same as a digit count as that digit ("to" and "two"), and
 * hypotheses spelt with the same letters agree ("goodbye" and "good bye").
 */
const SAME_SOUND: Readonly<Record<string, string>> = { to: 'two', too: 'two', for: 'four', fore: 'four', won: 'one', ate: 'eight', oh: 'zero' };

export function wordAgreement(a: string, b: string): number {
  const x = words(a);
  const y = words(b);
  if (x.join('') === y.join('')) return 1;
  return 1 - editDistance(x, y) / Math.max(x.length, y.length);
}

function editDistance<T>(x: readonly T[], y: readonly T[]): number {
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[y.length]!;
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => SAME_SOUND[w] ?? w);
}
