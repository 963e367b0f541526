import { describe, expect, it } from 'vitest';
import type { ListValue } from '../../core/bot.ts';
import { editDistance, extractListValue } from './list.ts';

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
});
