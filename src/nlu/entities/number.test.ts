import { describe, expect, it } from 'vitest';
import { extractNumber, extractNumbers } from './number.ts';

describe('number entity', () => {
  it.each([
    ['25', 25],
    ['twenty five', 25],
    ['twenty-five', 25],
    ['two five', 25],
    ['a hundred and ten', 110],
    ['one hundred twenty three thousand four hundred fifty six', 123456],
    ['two thousand and ten', 2010],
    ['one point five', 1.5],
    ['point five', 0.5],
    ['two and a half', 2.5],
    ['1,250', 1250],
    ['1,250.75', 1250.75],
    ['1.5 million', 1_500_000],
    ['five hundred thousand', 500_000],
    ['minus three', -3],
    ['negative twelve', -12],
    ['-7', -7],
    ['nineteen ninety nine', 1999],
    ['one twenty five', 125],
    ['two oh five', 205],
    ['a thousand', 1000],
  ])('reads %j as %d', (text, value) => {
    expect(extractNumber(text)?.value).toBe(value);
  });

  it('reports the words the number was said in', () => {
    expect(extractNumber('uh I need twenty five of them')).toEqual({
      value: 25,
      text: 'twenty five',
      start: 10,
      end: 21,
    });
  });

  it('keeps typed numerals apart and does not read ordinals or a lone "oh"', () => {
    expect(extractNumbers('5 6 times').map((n) => n.value)).toEqual([5, 6]);
    expect(extractNumbers('on the 3rd')).toEqual([]);
    expect(extractNumbers('oh I see')).toEqual([]);
    expect(extractNumbers('41-52').map((n) => n.value)).toEqual([41, 52]);
  });

  it('skips numbers outside min and max', () => {
    expect(extractNumber('2 people, 40 dollars', { min: 10 })?.value).toBe(40);
    expect(extractNumber('I want 500', { max: 100 })).toBeUndefined();
  });

  it('reads no number in the names of object properties', () => {
    expect(extractNumbers('the constructor called toString')).toEqual([]);
  });
});
