import * as chrono from 'chrono-node';
import { describe, expect, it } from 'vitest';
import { chronoFor, findCalendarMentions, mayMentionCalendar, NUMERAL_PARSERS, offsetMinutes, parseCalendar } from './calendar.ts';
import { testUtterances } from './testing/utterances.ts';
import { tokenize } from './tokens.ts';

const at = { now: new Date('2025-03-12T15:00:00Z'), timeZone: 'America/New_York' };
const utterances = testUtterances();
/** chrono misreads it (a date a month away, from "the mon…"); the cue keeps it away on purpose. */
const MISREAD = 'I can not find the money';

describe('calendar pre-filters', () => {
  it('lets through every text in which a date or a time is read', () => {
    let read = 0;
    for (const text of utterances) {
      if (text === MISREAD || parseCalendar(text, tokenize(text), at).length === 0) continue;
      read += 1;
      expect(mayMentionCalendar(text), text).toBe(true);
    }
    expect(read).toBeGreaterThan(50);
  });

  it.each([
    'what are your opening hours',
    'how much money do I have',
    'i am locked out of my account',
    'is this the right number',
    'is there after hours support',
  ])('spares %j the parse', (text) => {
    expect(mayMentionCalendar(text)).toBe(false);
  });

  it.each([
    ['can you call me back at midday', { time: '12:00' }],
    ['tmrw please', { date: '2025-03-13' }],
    ['overmorrow works for me', { date: '2025-03-14' }],
  ])('lets %j through to chrono, which reads it', (text, reading) => {
    expect(mayMentionCalendar(text)).toBe(true);
    expect(findCalendarMentions(text, at)).toEqual([expect.objectContaining(reading)]);
  });

  it('does not let chrono read "the money" as a date a month away', () => {
    expect(parseCalendar(MISREAD, tokenize(MISREAD), at)).toEqual([
      expect.objectContaining({ date: '2025-04-12' }),
    ]);
    expect(mayMentionCalendar(MISREAD)).toBe(false);
  });

  it("knows chrono's numeral parsers by name", () => {
    const names = new Set(chrono.casual.parsers.map((p) => p.constructor.name));
    for (const name of NUMERAL_PARSERS) expect(names, name).toContain(name);
    expect(chronoFor('on Saturday').parsers).toHaveLength(
      chrono.casual.parsers.length - NUMERAL_PARSERS.size,
    );
    expect(chronoFor('on the 3rd')).toBe(chrono.casual);
  });

  it('reads a text without digits the same without the numeral parsers', () => {
    const ref = { instant: at.now, timezone: -240 };
    const readings = (parser: chrono.Chrono, text: string): unknown =>
      parser
        .parse(text, ref, { forwardDate: true })
        .map((r) => [r.index, r.text, r.start.date().getTime(), r.end?.date().getTime()]);
    let compared = 0;
    for (const text of utterances) {
      if (/[0-9]/u.test(text)) continue;
      compared += 1;
      expect(readings(chronoFor(text), text), text).toEqual(readings(chrono.casual, text));
    }
    expect(compared).toBeGreaterThan(200);
  });

  it('reads the offset of a zone again when it changes', () => {
    const zone = 'America/New_York';
    expect(offsetMinutes(new Date('2025-03-09T06:59:30Z'), zone)).toBe(-300);
    expect(offsetMinutes(new Date('2025-03-09T07:00:00Z'), zone)).toBe(-240);
    expect(offsetMinutes(new Date('2025-03-09T06:59:59Z'), zone)).toBe(-300);
    expect(offsetMinutes(new Date('2025-07-01T12:00:00Z'), 'Asia/Kolkata')).toBe(330);
  });
});
