import { describe, expect, it } from 'vitest';
import { extractDigits } from './digits.ts';

describe('digits entity', () => {
  it.each([
    ['4152', '4152'],
    ['four one five two', '4152'],
    ['oh four one five', '0415'],
    ['zero four one five', '0415'],
    ['double seven', '77'],
    ['triple two', '222'],
    ['double oh seven', '007'],
    ['41 52', '4152'],
    ['forty one fifty two', '4152'],
    ['four uh one five two', '4152'],
    ['my pin is 4-1-5-2', '4152'],
    ['nine four one oh five', '94105'],
    ['one eight hundred five five five one two one two', '18005551212'],
    ['eight hundred and five', '805'],
    ['(415) 555-2671', '4155552671'],
    ['415.555.2671', '4155552671'],
  ])('reads %j as %j', (text, digits) => {
    expect(extractDigits(text)?.value).toBe(digits);
  });

  it('reports the span of the digits only', () => {
    expect(extractDigits('sure, it is four one five two thanks')).toMatchObject({
      text: 'four one five two',
      start: 12,
    });
  });

  it('honours minLength and maxLength', () => {
    expect(extractDigits('I have 2 cards, the number is 4152', { minLength: 4, maxLength: 4 })?.value).toBe(
      '4152',
    );
    expect(extractDigits('one two three', { minLength: 4 })).toBeUndefined();
    expect(extractDigits('1234 5678', { maxLength: 4 })).toBeUndefined();
  });

  it('prefers the longest digit string when no length is given', () => {
    expect(extractDigits('card 2, account 99881')?.value).toBe('99881');
  });

  it('does not take a lone "oh" or words for digits', () => {
    expect(extractDigits('oh')).toBeUndefined();
    expect(extractDigits('I lost my card')).toBeUndefined();
  });
});
