/**
 * The most common spoken date, a lone weekday ("are you open on saturday", "can I come next monday", "this
 * friday please"), read the way chrono reads it but without a chrono parse, the costliest step of
 * understanding a turn that names a day.
 *
 * Taken only when chrono could find nothing else, which is checked with chrono's own parsers' patterns
 * rather than assumed: chrono reads only what one of its patterns matches, so if none but the weekday
 * parser's matches anywhere in the text, and that one matches once, on a full weekday name ("saturday",
 * not "sat", "weekend" or "weekday"), chrono's answer is that one weekday. The calendar cue is not enough
 * for this: it lets through words chrono reads ("midday", "tmrw", "the M&S" as a minute ago, "onsat").
 * The weekday may come with what chrono's weekday pattern takes along: "on", one of "this", "next",
 * "last", "past", a comma or a bracket, but not its "… next week" postfix (such texts are left to chrono).
 *
 * chrono's refiners change nothing about a lone weekday result but in two ways, both followed here:
 * `ExtractTimezoneAbbrRefiner` adds a time zone abbreviation written in capitals after it ("saturday
 * EST"; such texts are left to chrono), and `ForwardDateRefiner` moves a weekday chrono places before the
 * reference to the coming one. `parseCalendar` does not let it move a weekday said to be past ("last
 * saturday", "past monday"): that one is read as chrono reads it without `forwardDate`, here too. The others act on two or more results, on
 * digits, on months and periods ("end of the month"), on "may" or "the second", or on invalid dates.
 * `LONE_WEEKDAY_REFINERS` names them all; with any other refiner the fast path is off.
 *
 * The day is computed with chrono's arithmetic, down to its use of the process's local calendar, so that
 * it is chrono's day in every process time zone. `weekday-mention.test.ts` compares this reading with
 * chrono's over a grid of texts, instants and zones.
 */
import * as chrono from 'chrono-node';
import type { CalendarMention } from './calendar.ts';

/** chrono's refiners whose effect on a lone weekday result is accounted for above, by class name. */
export const LONE_WEEKDAY_REFINERS: ReadonlySet<string> = new Set([
  'ENEndOfPeriodRefiner',
  'OverlapRemovalRefiner',
  'ENMergeRelativeAfterDateRefiner',
  'ENMergeRelativeFollowByDateRefiner',
  'ExtractTimezoneOffsetRefiner',
  'MergeWeekdayComponentRefiner',
  'ENMergeDateTimeRefiner',
  'ExtractTimezoneAbbrRefiner',
  'ForwardDateRefiner',
  'UnlikelyFormatFilter',
  'ENExtractYearSuffixRefiner',
  'ENMergeDateRangeRefiner',
  'ENUnlikelyFormatFilter',
]);

const WEEKDAYS: ReadonlyMap<string, number> = new Map([
  ['sunday', 0],
  ['monday', 1],
  ['tuesday', 2],
  ['wednesday', 3],
  ['thursday', 4],
  ['friday', 5],
  ['saturday', 6],
]);

type Modifier = 'this' | 'next' | 'last' | undefined;

/** chrono's weekday modifiers ("past" reads as "last"). */
const MODIFIERS: ReadonlyMap<string, Modifier> = new Map([
  ['this', 'this'],
  ['next', 'next'],
  ['last', 'last'],
  ['past', 'last'],
]);

/** chrono's `ExtractTimezoneAbbrRefiner` pattern, on the text after a result. */
const TIMEZONE_ABBR = /^\s*,?\s*\(?([A-Z]{2,4})\)?(?=\W|$)/i;

interface Patterns {
  /** chrono's weekday pattern: groups 1 left boundary, 2 modifier, 3 weekday, 4 "… week" modifier. */
  weekday: RegExp;
  /** Every other parser's pattern. */
  others: RegExp[];
}

/** The patterns of a chrono instance, or null when the reasoning above does not hold for it. */
const patternsOf = new WeakMap<chrono.Chrono, Patterns | null>();

function patterns(parser: chrono.Chrono): Patterns | null {
  let found = patternsOf.get(parser);
  if (found !== undefined) return found;
  found = null;
  // one pattern (ENTimeUnitWithinFormatParser's) depends on forwardDate, which `parseCalendar` sets
  const context = new chrono.ParsingContext('', { instant: new Date(0), timezone: 0 }, { forwardDate: true });
  const weekday = parser.parsers.filter((p) => p.constructor.name === 'ENWeekdayParser');
  const first = weekday[0];
  if (
    weekday.length === 1 &&
    first &&
    parser.refiners.every((r) => LONE_WEEKDAY_REFINERS.has(r.constructor.name))
  ) {
    found = {
      weekday: first.pattern(context),
      others: parser.parsers.filter((p) => p !== first).map((p) => p.pattern(context)),
    };
  }
  patternsOf.set(parser, found);
  return found;
}

/** chrono's `getDaysForwardToWeekday`: 0 to 6 days ahead. */
const daysForward = (ref: Date, weekday: number): number => (weekday - ref.getDay() + 7) % 7;

/** chrono's `getDaysToWeekday`. */
function daysTo(ref: Date, weekday: number, modifier: Modifier): number {
  const refWeekday = ref.getDay();
  const forward = daysForward(ref, weekday);
  const backward = forward === 0 ? -7 : forward - 7;
  if (modifier === 'this') return forward;
  if (modifier === 'last') return backward;
  if (modifier === 'next') {
    if (refWeekday === 0) return weekday === 0 ? 7 : weekday;
    if (refWeekday === 6) return weekday === 6 ? 7 : weekday === 0 ? 8 : 1 + weekday;
    return weekday < refWeekday && weekday !== 0 ? forward : forward + 7;
  }
  return forward < -backward ? forward : backward;
}

const pad = (n: number): string => String(n).padStart(2, '0');
const isoDate = (d: Date): string => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/**
 * The day chrono gives a weekday, as `YYYY-MM-DD`. chrono works on a reference moved so that the
 * process's local fields read the caller's wall clock (`timezone`, minutes east of UTC); it places the
 * weekday at noon, and with forwardDate compares that noon, read in the caller's zone, with the moved
 * reference (not with the instant itself); when it lies before, the day becomes the same weekday to come,
 * unless the weekday was said to be past.
 */
function weekdayDate(now: Date, timezone: number, weekday: number, modifier: Modifier): string {
  const ref = new Date(now);
  ref.setMinutes(ref.getMinutes() - (-now.getTimezoneOffset() - timezone));
  const day = new Date(ref);
  day.setHours(12, 0, 0, 0);
  day.setDate(day.getDate() + daysTo(ref, weekday, modifier));
  if (modifier === 'last') return isoDate(day);
  const noon = new Date(Date.UTC(2000, 0, 1, 12));
  noon.setUTCFullYear(day.getFullYear(), day.getMonth(), day.getDate());
  if (ref.getTime() <= noon.getTime() - timezone * 60_000) return isoDate(day);
  const ahead = new Date(ref);
  ahead.setDate(ahead.getDate() + (daysForward(ref, weekday) || 7));
  return isoDate(ahead);
}

/**
 * chrono's only mention in `text` when it is a lone weekday, read without chrono; undefined when the
 * text is anything else (texts with digits included). `text` is what chrono would be given (nothing
 * rewritten), `parser` the chrono instance it would be parsed with and `timezone` the offset it would
 * be given, in minutes east of UTC.
 */
export function loneWeekday(
  text: string,
  parser: chrono.Chrono,
  now: Date,
  timezone: number,
): CalendarMention | undefined {
  if (/[0-9]/.test(text)) return undefined;
  const known = patterns(parser);
  const m = known?.weekday.exec(text);
  if (!known || !m || m[4] !== undefined) return undefined;
  const weekday = WEEKDAYS.get(m[3]?.toLowerCase() ?? '');
  if (weekday === undefined) return undefined;
  // chrono's boundary-checking parsers report a match without its left boundary
  const start = m.index + (m[1] ?? '').length;
  const end = m.index + m[0].length;
  if (known.weekday.test(text.slice(end)) || known.others.some((p) => p.test(text))) return undefined;
  const zone = TIMEZONE_ABBR.exec(text.slice(end))?.[1];
  if (zone !== undefined && zone === zone.toUpperCase()) return undefined;
  const modifier = MODIFIERS.get(m[2]?.toLowerCase() ?? '');
  return { start, end, date: weekdayDate(now, timezone, weekday, modifier) };
}
