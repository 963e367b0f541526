/**
 * Dates and times in a text, relative to a reference instant, through chrono-node. Spoken forms are
 * rewritten first so chrono sees what it parses best ("five thirty p m" → "5:30 pm", "half past five" →
 * "5:30", "March the third" → "March 3rd"), and "the 3rd" (a day of the current or next month) is read
 * here because chrono does not. Results are reported with the caller's original words.
 *
 * Readings: "next Friday" is the Friday of next week (chrono's reading); "this Sunday" and "Sunday" are the
 * coming one. An hour from 1 to 6 said without am/pm is afternoon ("tomorrow at five" → 17:00): in
 * contact-center conversations these are business hours.
 *
 * A lone weekday ("are you open on saturday", "next monday"), the most common spoken date, is read
 * without chrono when chrono could find nothing else in the text (`weekday-mention.ts`), to the same
 * mention chrono gives.
 */
import * as chrono from 'chrono-node';
import { rewrite } from './mapped-text.ts';
import { isNumberWord, isOrdinalWord, readGroup, readOrdinal } from './spoken-numbers.ts';
import { tokenize, type Token } from './tokens.ts';
import { loneWeekday } from './weekday-mention.ts';

export interface CalendarOptions {
  /** The reference instant for "tomorrow", "next Friday". */
  now: Date;
  /** IANA zone of the caller ("America/New_York"); the process's zone when absent. */
  timeZone?: string;
}

export interface CalendarMention {
  start: number;
  end: number;
  /** `YYYY-MM-DD` when a day was said (absolutely or relatively). */
  date?: string;
  /** `HH:MM` (24 h) when a clock time was said. */
  time?: string;
}

const MONTHS = new Set([
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
]);

/**
 * Per zone, its formatter and the offset last read. Making an Intl.DateTimeFormat costs some 200 µs and
 * reading an offset with it several, more than a whole chrono parse; zones change offset on whole minutes,
 * so an offset holds for the rest of its minute.
 */
const zones = new Map<string, { format: Intl.DateTimeFormat; minute: number; offset: number }>();

function readOffset(format: Intl.DateTimeFormat, now: Date): number {
  const name = format.formatToParts(now).find((p) => p.type === 'timeZoneName')?.value;
  const m = /GMT([+-])(\d{2}):(\d{2})/u.exec(name ?? '');
  if (!m) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

/** Minutes east of UTC of `timeZone` at `now`. */
export function offsetMinutes(now: Date, timeZone?: string): number {
  if (timeZone === undefined) return -now.getTimezoneOffset();
  const minute = Math.floor(now.getTime() / 60_000);
  let zone = zones.get(timeZone);
  if (!zone) {
    const format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    zone = { format, minute, offset: readOffset(format, now) };
    zones.set(timeZone, zone);
  } else if (zone.minute !== minute) {
    zone.minute = minute;
    zone.offset = readOffset(zone.format, now);
  }
  return zone.offset;
}

const pad = (n: number): string => String(n).padStart(2, '0');
const isoDate = (y: number, m: number, d: number): string => `${y}-${pad(m)}-${pad(d)}`;

function suffix(n: number): string {
  if (n % 100 >= 11 && n % 100 <= 13) return 'th';
  return ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
}

/** am/pm at token `j` ("pm", "p m", "p.m."): the index after it, or -1. */
function meridiemAt(tokens: readonly Token[], j: number): { text: string; next: number } {
  const t = tokens[j];
  if (t?.kind !== 'word') return { text: '', next: -1 };
  if (t.norm === 'am' || t.norm === 'pm') return { text: t.norm, next: j + 1 };
  if (t.norm !== 'a' && t.norm !== 'p') return { text: '', next: -1 };
  let k = j + 1;
  if (tokens[k]?.text === '.') k += 1;
  if (tokens[k]?.norm !== 'm') return { text: '', next: -1 };
  k += 1;
  if (tokens[k]?.text === '.') k += 1;
  return { text: `${t.norm}m`, next: k };
}

function hourAt(tokens: readonly Token[], j: number): { hour: number; last: number } | undefined {
  const g = readGroup(tokens, j);
  if (!g || g.oh || !Number.isInteger(g.value) || g.value < 0 || g.value > 24 || g.digits === undefined)
    return undefined;
  return { hour: g.value, last: g.last };
}

interface Replacement {
  start: number;
  end: number;
  text: string;
}

/** Replaces tokens `a` to `b` by `text`. */
function span(out: Replacement[], tokens: readonly Token[], a: number, b: number, text: string): void {
  const s = tokens[a];
  const e = tokens[b];
  if (s && e) out.push({ start: s.start, end: e.end, text });
}

/** Can a token start a spoken time or ordinal: a numeral, a number word or an ordinal word? */
const numberish = (t: Token): boolean =>
  t.kind === 'numeral' || (t.kind === 'word' && (isNumberWord(t.norm) || isOrdinalWord(t.norm)));

/** Spoken forms rewritten for chrono, as replacements of the original text. */
function spokenReplacements(tokens: readonly Token[]): Replacement[] {
  const out: Replacement[] = [];
  // every rewrite below reads an hour, a minute or an ordinal ("on Saturday" has nothing to rewrite)
  if (!tokens.some(numberish)) return out;
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i];
    if (!t) break;
    const w = t.kind === 'word' ? t.norm : '';
    // "half past five", "quarter past five", "quarter to six"
    if (
      (w === 'half' || w === 'quarter') &&
      ['past', 'after', 'to', 'til', 'till'].includes(tokens[i + 1]?.norm ?? '')
    ) {
      const h = hourAt(tokens, i + 2);
      const rel = tokens[i + 1]?.norm ?? '';
      if (h && h.hour >= 1 && h.hour <= 12 && !(w === 'half' && !['past', 'after'].includes(rel))) {
        const before = rel === 'to' || rel === 'til' || rel === 'till';
        const hour = before ? (h.hour === 1 ? 12 : h.hour - 1) : h.hour;
        const minute = w === 'half' ? 30 : before ? 45 : 15;
        span(out, tokens, i, h.last, `${hour}:${pad(minute)}`);
        i = h.last + 1;
        continue;
      }
    }
    // ordinals: "the third", "March third", "twenty first of June"
    const ord = t.kind === 'word' ? readOrdinal(tokens, i) : undefined;
    if (ord) {
      const prev = tokens[i - 1]?.norm ?? '';
      const prev2 = tokens[i - 2]?.norm ?? '';
      const next = tokens[ord.last + 1]?.norm ?? '';
      if (prev === 'the' && MONTHS.has(prev2)) {
        span(out, tokens, i - 1, ord.last, `${ord.value}${suffix(ord.value)}`);
        i = ord.last + 1;
        continue;
      }
      if ((prev === 'the' || MONTHS.has(prev) || next === 'of') && ord.value <= 31) {
        span(out, tokens, i, ord.last, `${ord.value}${suffix(ord.value)}`);
        i = ord.last + 1;
        continue;
      }
    }
    if (t.kind === 'word' && t.norm === 'the' && MONTHS.has(tokens[i - 1]?.norm ?? '')) {
      const o = readOrdinal(tokens, i + 1);
      if (o && tokens[i + 1]?.kind === 'numeral') {
        span(out, tokens, i, o.last, `${o.value}${suffix(o.value)}`);
        i = o.last + 1;
        continue;
      }
    }
    // clock times: "five thirty p m", "five oh five", "5 p m", "at seven fifteen"
    const h = t.kind === 'word' || t.kind === 'numeral' ? hourAt(tokens, i) : undefined;
    if (h) {
      let k = h.last + 1;
      let minute: number | undefined;
      const m1 = readGroup(tokens, k);
      if (m1?.oh) {
        const m2 = readGroup(tokens, m1.last + 1);
        if (m2 && m2.value >= 1 && m2.value <= 9 && m2.spoken) {
          minute = m2.value;
          k = m2.last + 1;
        }
      } else if (
        m1 &&
        m1.spoken &&
        !m1.complete &&
        m1.value >= 10 &&
        m1.value <= 59 &&
        h.hour <= 12 &&
        tokens[i]?.kind === 'word'
      ) {
        minute = m1.value;
        k = m1.last + 1;
      }
      const mer = meridiemAt(tokens, k);
      const afterAt = tokens[i - 1]?.norm === 'at';
      if (minute !== undefined && (mer.next > 0 || afterAt)) {
        span(
          out,
          tokens,
          i,
          mer.next > 0 ? mer.next - 1 : k - 1,
          `${h.hour}:${pad(minute)}${mer.next > 0 ? ` ${mer.text}` : ''}`,
        );
        i = mer.next > 0 ? mer.next : k;
        continue;
      }
      if (mer.next > 0 && h.hour <= 12) {
        span(out, tokens, i, mer.next - 1, `${h.hour} ${mer.text}`);
        i = mer.next;
        continue;
      }
      if (tokens[i]?.kind === 'word') {
        span(out, tokens, i, h.last, String(h.hour));
        i = h.last + 1;
        continue;
      }
    }
    i += 1;
  }
  return out;
}

interface Today {
  year: number;
  month: number;
  day: number;
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }): boolean =>
  a.start < b.end && b.start < a.end;

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** "the 3rd" (this month if still to come, else next month), "the 3rd of next month". */
function ordinalDays(text: string, today: Today): CalendarMention[] {
  const found: CalendarMention[] = [];
  const re = /\bthe\s+(\d{1,2})(?:st|nd|rd|th)\b(?:\s+of\s+(this|next)\s+month\b)?/gi;
  for (const m of text.matchAll(re)) {
    const day = Number(m[1]);
    if (day < 1 || day > 31) continue;
    let { year, month } = today;
    const which = m[2]?.toLowerCase();
    if (which === 'next' || (which === undefined && day < today.day)) month += 1;
    for (let tries = 0; tries < 12 && day > daysIn(year, month > 12 ? month - 12 : month); tries += 1)
      month += 1;
    while (month > 12) {
      month -= 12;
      year += 1;
    }
    if (day > daysIn(year, month)) continue;
    found.push({ start: m.index, end: m.index + m[0].length, date: isoDate(year, month, day) });
  }
  return found;
}

/**
 * chrono's parsers of numerals only ("2025-03-12", "3/20", "5:30 pm", "2026 March"): every pattern of
 * theirs needs a digit. A text with none (after the spoken rewrites) is parsed without them, which spares
 * nearly half of a parse and finds the same. `calendar.test.ts` checks that they are all still there.
 */
export const NUMERAL_PARSERS: ReadonlySet<string> = new Set([
  'ISOFormatParser',
  'SlashDateFormatParser',
  'ENYearMonthDayParser',
  'ENSlashMonthFormatParser',
  'ENTimeExpressionParser',
  'ENYearMonthNameParser',
]);

const wordsOnly = chrono.casual.clone();
wordsOnly.parsers = wordsOnly.parsers.filter((p) => !NUMERAL_PARSERS.has(p.constructor.name));

/** chrono's casual English for a text, without the numeral parsers when it has no digit. */
export function chronoFor(text: string): chrono.Chrono {
  return /[0-9]/.test(text) ? chrono.casual : wordsOnly;
}

/**
 * Words without which neither chrono nor the ordinal reading finds anything: a quick test that spares most
 * utterances ("what are your opening hours", "how much money do I have") the full parse, which is the
 * costliest step of understanding. Strong cues are enough by themselves: digits, month and weekday names,
 * casual days and times, number and ordinal words (spoken times and ordinals are rewritten to digits
 * before chrono sees them). A unit of time ("hours", "week") counts only after a word chrono reads as a
 * quantity or a relation ("a", "the", "few", "couple of", "half", "this", "next", "last", "past");
 * after a number it is already cued. What chrono needs beside the words of a mention ("ago", "later",
 * "am", "o'clock", "half past", "quarter to") comes with a number, so those words are no cue by
 * themselves. `calendar.test.ts` checks that the cue lets through every text of the entity tests in
 * which a date or time is read. What it keeps from chrono are its misreadings: "the money" as a date a
 * month away (from "the mon…"), "in half and" as 11 pm.
 */
const calendarCue = new RegExp(
  '[0-9]|\\b(?:' +
    [
      'january|february|march|april|may|june|july|august|september|october|november|december',
      'jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec',
      'monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun',
      'weekend|weekday',
      'today|tonight|tomorrow|tmr|tmrw|overmorrow|yesterday|now|noon|midday|midnight|morning|afternoon|evening|night|fortnight',
      'one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen',
      'seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|hundred',
      'first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|[a-z]+teenth|[a-z]+tieth',
      // chrono's units, but for the one- and two-letter ones it misreads ("the d" in "the décadas")
      '(?:a|an|the|few|several|couple|of|half|this|next|last|past)\\s+' +
        '(?:secs?|seconds?|mins?|minutes?|hrs?|hours?|days?|weeks?|months?|qtr|quarters?|yrs?|years?)',
    ].join('|') +
    ')\\b',
  'i',
);

/** Could the text mention a date or a time? False means `parseCalendar` finds nothing in it. */
export function mayMentionCalendar(text: string): boolean {
  return calendarCue.test(text);
}

/** Every date or time mention, in text order. */
export function findCalendarMentions(text: string, options: CalendarOptions): CalendarMention[] {
  return mayMentionCalendar(text) ? parseCalendar(text, tokenize(text), options) : [];
}

/** Every date or time mention of a text, given its tokens; `findCalendarMentions` with the cue checked first. */
export function parseCalendar(
  text: string,
  tokens: readonly Token[],
  options: CalendarOptions,
): CalendarMention[] {
  const replacements = spokenReplacements(tokens);
  const timezone = offsetMinutes(options.now, options.timeZone);
  if (replacements.length === 0) {
    // a lone weekday has no digits, so chrono would parse it with `wordsOnly`
    const lone = loneWeekday(text, wordsOnly, options.now, timezone);
    if (lone) return [lone];
  }
  return readCalendar(text, replacements, options.now, timezone);
}

/**
 * `parseCalendar` with every text parsed by chrono, the fast path for a lone weekday left out: the
 * reading that fast path is tested against.
 */
export function parseCalendarWithChrono(
  text: string,
  tokens: readonly Token[],
  options: CalendarOptions,
): CalendarMention[] {
  return readCalendar(
    text,
    spokenReplacements(tokens),
    options.now,
    offsetMinutes(options.now, options.timeZone),
  );
}

/**
 * A weekday said to be past ("last friday", "this past monday", "saturday last week"). Dates are read
 * forward (`forwardDate`: "saturday" is the one to come), but chrono's forward refiner moves these too,
 * to the same weekday to come; such a result is read again without it.
 */
function pastWeekday(r: chrono.ParsedResult): boolean {
  return r.start.isCertain('weekday') && !r.start.isCertain('day') && /\b(?:last|past)\b/i.test(r.text);
}

/** The spoken rewrites, chrono and the ordinal days on a text; `timezone` in minutes east of UTC. */
function readCalendar(
  text: string,
  replacements: Replacement[],
  now: Date,
  timezone: number,
): CalendarMention[] {
  const mapped = rewrite(text, replacements);
  const local = new Date(now.getTime() + timezone * 60_000);
  const today = { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate() };
  const digits = /[0-9]/.test(mapped.text);
  // "the 3rd": spoken ordinals are digits by now
  const ordinals = digits
    ? ordinalDays(mapped.text, today).map((o) => {
        const { start, end } = mapped.sourceRange(o.start, o.end);
        return { start, end, date: o.date };
      })
    : [];
  const mentions: CalendarMention[] = [];
  const parser = chronoFor(mapped.text);
  for (const r of parser.parse(mapped.text, { instant: now, timezone }, { forwardDate: true })) {
    const c = pastWeekday(r) ? (parser.parse(r.text, { instant: now, timezone }, { forwardDate: false })[0]?.start ?? r.start) : r.start;
    const range = mapped.sourceRange(r.index, r.index + r.text.length);
    const mention: CalendarMention = { ...range };
    const dayCertain = c.isCertain('day') || c.isCertain('weekday');
    // "the 3rd of next month": the ordinal reading owns the day, chrono only saw "next month".
    const ordinal = ordinals.findIndex((o) => overlaps(o, range));
    if (ordinal >= 0 && dayCertain) ordinals.splice(ordinal, 1);
    if (dayCertain || (c.isCertain('month') && ordinal < 0)) {
      mention.date = isoDate(
        c.get('year') ?? today.year,
        c.get('month') ?? today.month,
        c.get('day') ?? today.day,
      );
    }
    if (c.isCertain('hour')) {
      let hour = c.get('hour') ?? 0;
      if (!c.isCertain('meridiem') && hour >= 1 && hour <= 6) hour += 12;
      mention.time = `${pad(hour)}:${pad(c.get('minute') ?? 0)}`;
    }
    if (mention.date !== undefined || mention.time !== undefined) mentions.push(mention);
  }
  return [...mentions, ...ordinals].sort((a, b) => a.start - b.start);
}
