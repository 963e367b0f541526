import { describe, expect, it } from 'vitest';
import { rewrite } from './mapped-text.ts';

describe('mapped text', () => {
  it('maps a range of the rewrite back to the original words', () => {
    const source = 'at five thirty p m today';
    const mapped = rewrite(source, [{ start: 3, end: 18, text: '5:30 pm' }]);
    expect(mapped.text).toBe('at 5:30 pm today');
    const range = mapped.sourceRange(0, 10);
    expect(source.slice(range.start, range.end)).toBe('at five thirty p m');
    const today = mapped.sourceRange(11, 16);
    expect(source.slice(today.start, today.end)).toBe('today');
  });
});
