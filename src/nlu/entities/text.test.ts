import { describe, expect, it } from 'vitest';
import { extractText } from './text.ts';

describe('text entity', () => {
  it('is the whole answer, trimmed', () => {
    expect(extractText('  my card was swallowed by the ATM ')).toEqual({
      value: 'my card was swallowed by the ATM',
      text: 'my card was swallowed by the ATM',
      start: 2,
      end: 34,
    });
  });

  it('is nothing for an empty answer or one outside the lengths', () => {
    expect(extractText('   ')).toBeUndefined();
    expect(extractText('hi', { minLength: 3 })).toBeUndefined();
    expect(extractText('a long answer', { maxLength: 5 })).toBeUndefined();
  });
});
