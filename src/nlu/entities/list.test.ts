import { describe, expect, it } from 'vitest';
import type { ListValue } from '../../core/bot.ts';
import { editDistance, extractListValue, singular } from './list.ts';
import { testUtterances } from './testing/utterances.ts';
import { words } from './tokens.ts';

/** Damerau–Levenshtein distance (optimal string alignment), the textbook way. */
function referenceDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** The list reading without the first-letter index: every phrase against every window. */
function referenceListValue(text: string, values: ListValue[]): string | undefined {
  const tokens = words(text);
  const forms = tokens.map((t) => singular(t.norm));
  let best: { value: string; cost: number; length: number; start: number } | undefined;
  for (const entry of values) {
    for (const phrase of [entry.value, ...entry.synonyms]) {
      const joined = words(phrase)
        .map((t) => singular(t.norm))
        .join('');
      const size = words(phrase).length;
      const limit = joined.length < 5 ? 0 : joined.length < 9 ? 1 : 2;
      for (let n = Math.max(1, size - 1); n <= size + 1; n += 1) {
        for (let i = 0; i + n <= forms.length; i += 1) {
          const window = forms.slice(i, i + n).join('');
          if (window[0] !== joined[0]) continue;
          const cost = referenceDistance(window, joined);
          if (cost > limit) continue;
          const c = { value: entry.value, cost, length: joined.length, start: tokens[i]!.start };
          if (
            !best ||
            c.cost < best.cost ||
            (c.cost === best.cost &&
              (c.length > best.length || (c.length === best.length && c.start < best.start)))
          )
            best = c;
        }
      }
    }
  }
  return best?.value;
}

const accounts: ListValue[] = [
  { value: 'checking', synonyms: ['current account', 'everyday account'] },
  { value: 'savings', synonyms: ['savings account', 'deposit account'] },
  { value: 'credit card', synonyms: ['visa', 'mastercard'] },
];

describe('list entity', () => {
  it.each([
    ['checking', 'checking'],
    ['CHECKING', 'checking'],
    ['my current account please', 'checking'],
    ['the savings', 'savings'],
    ['saving', 'savings'],
    ['savings accounts', 'savings'],
    ['chekcing', 'checking'],
    ['cheking', 'checking'],
    ['my credit card', 'credit card'],
    ['creditcard', 'credit card'],
    ['master card', 'credit card'],
    ['Visa', 'credit card'],
  ])('reads %j as %s', (text, value) => {
    expect(extractListValue(text, accounts)?.value).toBe(value);
  });

  it('reports the words matched', () => {
    expect(extractListValue('move it to my deposit account now', accounts)).toEqual({
      value: 'savings',
      text: 'deposit account',
      start: 14,
      end: 29,
    });
  });

  it('does not stretch short words or change first letters', () => {
    const vehicles: ListValue[] = [
      { value: 'card', synonyms: [] },
      { value: 'loan', synonyms: [] },
    ];
    expect(extractListValue('I lost my car', vehicles)).toBeUndefined();
    expect(extractListValue('a lone wolf', vehicles)).toBeUndefined();
    expect(extractListValue('shecking', accounts)).toBeUndefined();
  });

  it('prefers an exact match over a near one', () => {
    const values: ListValue[] = [
      { value: 'gold', synonyms: [] },
      { value: 'golden', synonyms: [] },
    ];
    expect(extractListValue('golden please', values)?.value).toBe('golden');
  });

  it('measures edit distance with transpositions', () => {
    expect(editDistance('checking', 'chekcing')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('abc', 'abc')).toBe(0);
  });

  it('measures the same distances as the textbook table, within the limit', () => {
    let seed = 7;
    const letter = (): string => 'abcde'[(seed = (seed * 16807) % 2147483647) % 5]!;
    for (let k = 0; k < 2000; k += 1) {
      const a = Array.from({ length: k % 9 }, letter).join('');
      const b = Array.from({ length: (k * 7) % 11 }, letter).join('');
      const exact = referenceDistance(a, b);
      expect(editDistance(a, b), `${a} ${b}`).toBe(exact);
      for (const limit of [0, 1, 2]) {
        const bounded = editDistance(a, b, limit);
        if (exact <= limit) expect(bounded).toBe(exact);
        else expect(bounded).toBeGreaterThan(limit);
      }
    }
  });

  it('finds what comparing every phrase with every window finds', () => {
    const lists = [
      accounts,
      [
        { value: 'debit', synonyms: ['debit card', 'bank card', 'atm card', 'checking card'] },
        { value: 'credit', synonyms: ['credit card', 'visa', 'mastercard'] },
      ],
    ];
    for (const text of testUtterances())
      for (const values of lists)
        expect(extractListValue(text, values)?.value, text).toBe(referenceListValue(text, values));
  });
});
