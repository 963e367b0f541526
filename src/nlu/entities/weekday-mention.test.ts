import * as chrono from 'chrono-node';
import { isDeepStrictEqual } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import {
  chronoFor,
  offsetMinutes,
  parseCalendar,
  parseCalendarWithChrono,
  type CalendarOptions,
} from './calendar.ts';
import { testUtterances } from './testing/utterances.ts';
import { tokenize } from './tokens.ts';
import { LONE_WEEKDAY_REFINERS, loneWeekday } from './weekday-mention.ts';

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const ZONES = [undefined, 'America/New_York', 'Asia/Kolkata', 'Pacific/Auckland'];
const CASINGS = [
  (s: string): string => s,
  (s: string): string => s.replace(/\b\w/gu, (c) => c.toUpperCase()),
  (s: string): string => s.toUpperCase(),
];

/** Ways to say a weekday that the fast path reads. */
const PLAIN_FORMS = [
  'WEEKDAY',
  'on WEEKDAY',
  'this WEEKDAY',
  'next WEEKDAY',
  'last WEEKDAY',
  'past WEEKDAY',
  'on next WEEKDAY',
  'on this WEEKDAY',
  'on  WEEKDAY',
];
/** Ways with chrono's "… week" postfix, left to chrono. */
const POSTFIX_FORMS = [
  'WEEKDAY this week',
  'WEEKDAY next week',
  'WEEKDAY of next week',
  'WEEKDAY last week',
  'WEEKDAY nextweek',
  // no other pattern of chrono's matches this one
  'WEEKDAY ofnext week',
];

/** Sentences around a weekday that the fast path reads. */
const PLAIN_SENTENCES = [
  'WEEKDAY',
  'are you open WEEKDAY',
  'WEEKDAY works for me',
  'can I come WEEKDAY?',
  'I can come WEEKDAY, if that works',
  'see you WEEKDAY.',
  'WEEKDAY please',
  'is the office open WEEKDAY or not',
  '(maybe WEEKDAY)',
  'open, WEEKDAY',
  'open ,WEEKDAY',
  "WEEKDAY's fine",
  'what about WEEKDAY then',
  // chrono reads a time zone abbreviation after a date only in capitals
  'WEEKDAY et',
  'WEEKDAY pt',
  'WEEKDAY est',
  'WEEKDAY Est',
];
/** Sentences in which chrono reads more than the weekday, or may: left to chrono. */
const OTHER_SENTENCES = [
  'WEEKDAY morning',
  'WEEKDAY at noon',
  'WEEKDAY ET',
  'WEEKDAY PT',
  'WEEKDAY EST',
  'WEEKDAY midday',
  'WEEKDAY tmrw',
  'is the M&S open WEEKDAY',
  'in half an hour or WEEKDAY',
  'WEEKDAY or sunday',
  'I sat down WEEKDAY',
  'WEEKDAY weekend',
  'halfan hour after WEEKDAY',
  'WEEKDAY at 5',
];

/**
 * A template with its weekday in place. The placeholder is a calendar cue itself, so that the templates, as
 * strings of the entity tests, pass the cue check in `calendar.test.ts` too.
 */
const fill = (template: string, phrase: string): string => template.replace('WEEKDAY', phrase);

/** Instants around the days' turns and chrono's forward-date thresholds, over a whole week and more. */
function instants(): Date[] {
  const out: Date[] = [];
  // 8 to 14 March 2025: every weekday once, and the US change to summer time on the 9th
  for (let day = 8; day <= 14; day += 1) {
    for (const time of [
      '00:00',
      '01:00',
      '04:00',
      '05:00',
      '07:00',
      '10:00',
      '11:00',
      '12:00',
      '18:30',
      '20:00',
      '22:00',
    ]) {
      const at = Date.parse(`2025-03-${String(day).padStart(2, '0')}T${time}:00Z`);
      for (const ms of [-1, 0, 1]) out.push(new Date(at + ms));
    }
  }
  // year end, New Zealand's and the US's clock changes
  for (const at of [
    '2025-12-31T23:59:59.999Z',
    '2026-01-01T00:00:00Z',
    '2025-04-05T14:00:00Z',
    '2025-11-02T06:00:00Z',
  ]) {
    out.push(new Date(at));
  }
  return out;
}

const optionsAt = (now: Date, timeZone: string | undefined): CalendarOptions =>
  timeZone === undefined ? { now } : { now, timeZone };

/** Does the fast path read the text? (`parseCalendar` tries it on texts with no spoken number to rewrite.) */
const fast = (text: string, options: CalendarOptions): boolean =>
  loneWeekday(text, chronoFor(text), options.now, offsetMinutes(options.now, options.timeZone)) !== undefined;

/** Cases compared with chrono: how many, how many the fast path read, and every answer unlike chrono's. */
class Comparison {
  cases = 0;
  read = 0;
  readonly unlike: string[] = [];

  /** Compares `parseCalendar` with chrono on one text; true when the fast path read it. */
  check(text: string, options: CalendarOptions): boolean {
    const tokens = tokenize(text);
    const got = parseCalendar(text, tokens, options);
    const want = parseCalendarWithChrono(text, tokens, options);
    if (!isDeepStrictEqual(got, want)) {
      const at = `${options.now.toISOString()} ${options.timeZone ?? 'process zone'}`;
      this.unlike.push(`${text} (${at}): ${JSON.stringify(got)}, chrono ${JSON.stringify(want)}`);
    }
    const took = fast(text, options);
    this.cases += 1;
    if (took) this.read += 1;
    return took;
  }
}

const processZone = process.env.TZ;
afterEach(() => {
  if (processZone === undefined) delete process.env.TZ;
  else process.env.TZ = processZone;
});

describe('a lone weekday without chrono', () => {
  it('reads "are you open on saturday" as chrono does', () => {
    // Wednesday 12 March 2025, 11:00 in New York
    const at = { now: new Date('2025-03-12T15:00:00Z'), timeZone: 'America/New_York' };
    const text = 'are you open on saturday';
    const mention = { start: 13, end: 24, date: '2025-03-15' };
    expect(fast(text, at)).toBe(true);
    expect(parseCalendar(text, tokenize(text), at)).toEqual([mention]);
    expect(parseCalendarWithChrono(text, tokenize(text), at)).toEqual([mention]);
  });

  it('reads a weekday said to be past as the one gone by, not the one to come', () => {
    // Saturday 21 November 2026, 10:00 in London
    const at = { now: new Date('2026-11-21T10:00:00Z'), timeZone: 'Europe/London' };
    const cases = [
      ['I lost my card last friday', '2026-11-20', undefined],
      ['last saturday', '2026-11-14', undefined],
      ['this past monday', '2026-11-16', undefined],
      ['it went missing last Sunday at 3 pm', '2026-11-15', '15:00'],
      ['saturday last week', '2026-11-14', undefined],
      // the ones to come stay so
      ['saturday', '2026-11-21', undefined],
      ['on friday', '2026-11-27', undefined],
      ['this friday', '2026-11-27', undefined],
    ] as const;
    for (const [text, date, time] of cases) {
      const read = parseCalendar(text, tokenize(text), at).map((m) => [m.date, m.time]);
      expect(read, text).toEqual([[date, time]]);
      expect(parseCalendarWithChrono(text, tokenize(text), at).map((m) => [m.date, m.time]), text).toEqual(read);
    }
  });

  it('finds what chrono finds around a weekday, and reads only the plain sentences itself', () => {
    const moments = instants();
    const comparison = new Comparison();
    const misjudged: string[] = [];
    let plain = 0;
    for (const weekday of WEEKDAYS) {
      for (const form of [...PLAIN_FORMS, ...POSTFIX_FORMS]) {
        for (const sentence of [...PLAIN_SENTENCES, ...OTHER_SENTENCES]) {
          // casing, instant and zone in turn: the next test has every day against every instant
          const n = comparison.cases;
          const casing = CASINGS[n % CASINGS.length] ?? String;
          const text = fill(sentence, casing(fill(form, weekday)));
          const now = moments[(n * 7) % moments.length] ?? new Date(0);
          const took = comparison.check(text, optionsAt(now, ZONES[n % ZONES.length]));
          const expected = PLAIN_FORMS.includes(form) && PLAIN_SENTENCES.includes(sentence);
          if (took !== expected) misjudged.push(text);
          if (expected) plain += 1;
        }
      }
    }
    expect(comparison.unlike).toEqual([]);
    expect(misjudged).toEqual([]);
    expect(comparison.read).toBe(plain);
    expect(plain).toBe(WEEKDAYS.length * PLAIN_FORMS.length * PLAIN_SENTENCES.length);
  });

  it.each([
    ['of the run', undefined],
    ['America/New_York', 'America/New_York'],
    ['Asia/Kathmandu', 'Asia/Kathmandu'],
  ])(
    'gives every weekday the day chrono gives it, at every instant and zone (process zone %s)',
    (_, zone) => {
      if (zone !== undefined) {
        process.env.TZ = zone;
        expect(new Date('2025-07-01T00:00:00Z').getTimezoneOffset()).not.toBe(0);
      }
      const moments = zone === undefined ? instants() : instants().filter((_, i) => i % 3 === 1);
      const comparison = new Comparison();
      for (const now of moments) {
        for (const timeZone of ZONES) {
          for (const weekday of WEEKDAYS) {
            for (const form of ['WEEKDAY', 'this WEEKDAY', 'next WEEKDAY', 'last WEEKDAY']) {
              comparison.check(`are you open ${fill(form, weekday)}`, optionsAt(now, timeZone));
            }
          }
        }
      }
      expect(comparison.unlike).toEqual([]);
      expect(comparison.read).toBe(comparison.cases);
      expect(comparison.cases).toBeGreaterThan(5000);
    },
  );

  it('answers as chrono does for every utterance of the entity tests', () => {
    const at = { now: new Date('2025-03-12T15:00:00Z'), timeZone: 'America/New_York' };
    const comparison = new Comparison();
    for (const text of testUtterances()) comparison.check(text, at);
    expect(comparison.unlike).toEqual([]);
    expect(comparison.read).toBeGreaterThan(3);
  });

  it('leaves a spoken time beside the weekday to chrono', () => {
    const at = { now: new Date('2025-03-12T15:00:00Z'), timeZone: 'America/New_York' };
    const text = 'at five on saturday';
    expect(parseCalendar(text, tokenize(text), at)).toEqual([
      { start: 0, end: 19, date: '2025-03-15', time: '17:00' },
    ]);
  });

  it("accounts for every one of chrono's refiners", () => {
    for (const refiner of chrono.casual.refiners)
      expect(LONE_WEEKDAY_REFINERS).toContain(refiner.constructor.name);
  });
});
