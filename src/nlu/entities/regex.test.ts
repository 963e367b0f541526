import { describe, expect, it } from 'vitest';
import { extractPattern } from './regex.ts';

describe('regex entity', () => {
  it('returns the first match of the pattern, case-insensitively', () => {
    expect(extractPattern('my policy is ab123456', '[A-Z]{2}\\d{6}')).toEqual({
      value: 'ab123456',
      text: 'ab123456',
      start: 13,
      end: 21,
    });
  });

  it('matches spelled letters and spoken digits as the recogniser wrote them', () => {
    expect(extractPattern('it is A B one two three four five six', '[A-Z]{2}\\d{6}')).toEqual({
      value: 'AB123456',
      text: 'A B one two three four five six',
      start: 6,
      end: 37,
    });
    expect(extractPattern('booking reference x y z nine nine', '[a-z]{3}\\d{2}')?.value).toBe('xyz99');
  });

  it('finds nothing when nothing matches', () => {
    expect(extractPattern('I do not have it', '[A-Z]{2}\\d{6}')).toBeUndefined();
  });
});
