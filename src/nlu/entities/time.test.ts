import { describe, expect, it } from 'vitest';
import { extractTime } from './time.ts';

const at = { now: new Date('2025-03-12T15:00:00Z'), timeZone: 'America/New_York' };

describe('time entity', () => {
  it.each([
    ['5 pm', '17:00'],
    ['5pm', '17:00'],
    ['at 5 p m', '17:00'],
    ['at 10 a.m.', '10:00'],
    ['five thirty p m', '17:30'],
    ['five oh five pm', '17:05'],
    ['at seven fifteen', '07:15'],
    ['half past nine', '09:30'],
    ['quarter to six', '17:45'],
    ['at 17:30', '17:30'],
    ['noon', '12:00'],
    ['midnight', '00:00'],
    ['tomorrow at 5 pm', '17:00'],
    ['tomorrow at five', '17:00'],
    ['tomorrow morning at nine thirty', '09:30'],
  ])('reads %j as %s', (text, hhmm) => {
    expect(extractTime(text, at)?.value).toBe(hhmm);
  });

  it('needs a clock time', () => {
    expect(extractTime('tomorrow', at)).toBeUndefined();
    expect(extractTime('I have 2 cards', at)).toBeUndefined();
  });
});
