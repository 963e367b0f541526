import { describe, expect, it } from 'vitest';
import { isOpen, knownTimezone, parseRange } from './business-hours.ts';
import type { BusinessHours } from './model.ts';

const london: BusinessHours = {
  timezone: 'Europe/London',
  weekly: { mon: ['08:00-12:00', '13:00-20:00'], sat: ['09:00-13:00'] },
  closedOn: ['2025-12-29'],
};

describe('business hours', () => {
  it('is open inside a range of the local weekday and closed outside it', () => {
    // Monday 2025-03-03; London is on UTC in March before the clock change.
    expect(isOpen(london, new Date('2025-03-03T08:00:00Z'))).toBe(true);
    expect(isOpen(london, new Date('2025-03-03T07:59:00Z'))).toBe(false);
    expect(isOpen(london, new Date('2025-03-03T12:30:00Z'))).toBe(false);
    expect(isOpen(london, new Date('2025-03-03T19:59:00Z'))).toBe(true);
    expect(isOpen(london, new Date('2025-03-03T20:00:00Z'))).toBe(false);
  });

  it('uses the queue time zone, summer time included', () => {
    // Monday 2025-07-07 07:30 UTC is 08:30 in London (BST).
    expect(isOpen(london, new Date('2025-07-07T07:30:00Z'))).toBe(true);
    const tokyo: BusinessHours = { timezone: 'Asia/Tokyo', weekly: { tue: ['08:00-10:00'] }, closedOn: [] };
    // Monday 2025-07-07 23:30 UTC is already Tuesday 08:30 in Tokyo.
    expect(isOpen(tokyo, new Date('2025-07-07T23:30:00Z'))).toBe(true);
    expect(isOpen(tokyo, new Date('2025-07-07T00:30:00Z'))).toBe(false);
  });

  it('is closed on days without hours and on listed closing dates; no hours means always open', () => {
    expect(isOpen(london, new Date('2025-03-02T10:00:00Z'))).toBe(false); // Sunday
    expect(isOpen(london, new Date('2025-03-08T10:00:00Z'))).toBe(true); // Saturday
    expect(isOpen(london, new Date('2025-12-29T10:00:00Z'))).toBe(false); // a Monday, closed
    expect(isOpen(undefined, new Date('2025-12-25T03:00:00Z'))).toBe(true);
  });

  it('parses ranges and refuses malformed ones', () => {
    expect(parseRange('08:30-17:00')).toEqual([510, 1020]);
    expect(parseRange('00:00-24:00')).toEqual([0, 1440]);
    expect(parseRange('17:00-08:00')).toBeUndefined();
    expect(parseRange('8-17')).toBeUndefined();
    expect(knownTimezone('Europe/Paris')).toBe(true);
    expect(knownTimezone('Mars/Olympus')).toBe(false);
  });
});
