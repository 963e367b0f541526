import { describe, expect, it } from 'vitest';
import { extractDate, extractDates } from './date.ts';

// Wednesday 12 March 2025, 10:00 in New York
const at = { now: new Date('2025-03-12T15:00:00Z'), timeZone: 'America/New_York' };

describe('date entity', () => {
  it.each([
    ['tomorrow', '2025-03-13'],
    ['today', '2025-03-12'],
    ['yesterday', '2025-03-11'],
    ['this Sunday', '2025-03-16'],
    ['Friday', '2025-03-14'],
    ['next Friday', '2025-03-21'],
    ['the 3rd', '2025-04-03'],
    ['on the third', '2025-04-03'],
    ['the 15th', '2025-03-15'],
    ['the twenty first', '2025-03-21'],
    ['the 3rd of next month', '2025-04-03'],
    ['March the third', '2026-03-03'],
    ['March 31st', '2025-03-31'],
    ['in two days', '2025-03-14'],
    ['the day after tomorrow', '2025-03-14'],
    ['tomorrow at 5 pm', '2025-03-13'],
    ['3/20', '2025-03-20'],
  ])('reads %j as %s', (text, iso) => {
    expect(extractDate(text, at)?.value).toBe(iso);
  });

  it('finds the date inside a sentence with its words', () => {
    expect(extractDate('I will pay 200 dollars on the 15th', at)).toEqual({
      value: '2025-03-15',
      text: 'the 15th',
      start: 26,
      end: 34,
    });
    expect(extractDate('pay 50 dollars tomorrow', at)).toMatchObject({
      value: '2025-03-13',
      text: 'tomorrow',
    });
  });

  it('uses the caller time zone for "today"', () => {
    // 02:00 UTC on the 13th is still the 12th in New York
    expect(
      extractDate('today', { now: new Date('2025-03-13T02:00:00Z'), timeZone: 'America/New_York' })?.value,
    ).toBe('2025-03-12');
    expect(
      extractDate('today', { now: new Date('2025-03-13T02:00:00Z'), timeZone: 'Europe/Paris' })?.value,
    ).toBe('2025-03-13');
  });

  it('is not fooled by times alone or ordinary words', () => {
    expect(extractDate('at 5 pm', at)).toBeUndefined();
    expect(extractDate('first I need to pay', at)).toBeUndefined();
    expect(extractDates('I need one card', at)).toEqual([]);
  });
});
