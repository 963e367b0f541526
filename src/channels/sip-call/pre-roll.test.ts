import { expect, it } from 'vitest';
import { PreRoll } from './pre-roll.ts';

const ramp = (from: number, count: number): Int16Array => Int16Array.from({ length: count }, (_, i) => from + i);

it('keeps the last samples pushed, oldest first, across the wrap of its buffer', () => {
  const preRoll = new PreRoll(10);
  preRoll.push(ramp(0, 4));
  expect(Array.from(preRoll.take())).toEqual([0, 1, 2, 3]);
  expect(preRoll.length).toBe(0);
  preRoll.push(ramp(0, 7));
  preRoll.push(ramp(7, 6), 5); // only the first five count
  expect(preRoll.length).toBe(10);
  expect(Array.from(preRoll.take())).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  preRoll.push(ramp(100, 25));
  expect(Array.from(preRoll.take())).toEqual(Array.from(ramp(115, 10)));
  const none = new PreRoll(0);
  none.push(ramp(0, 5));
  expect(none.take().length).toBe(0);
});
