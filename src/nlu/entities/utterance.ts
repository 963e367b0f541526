/**
 * One utterance, analysed once for every extractor that reads it. Its tokens, digit strings, numbers and
 * calendar mentions are worked out on first use and kept, so the date, time, money, phone, digits and list
 * extractors of one understand call share one tokenisation and at most one chrono parse. Extractors take
 * either a text or an `Utterance`; `understandEntities` and the built-in engine make one per call.
 *
 * What it hands out is shared, so it is read-only, by type: `readonly` arrays of `Readonly` items. It is
 * not frozen at run time, as V8 makes a frozen array several times slower to make and to read (freezing
 * would cost more than tokenising); `utterance.test.ts` runs every extractor over deep-frozen analyses to
 * show that none writes to them. An extractor builds its own result.
 */
import { mayMentionCalendar, parseCalendar, type CalendarMention, type CalendarOptions } from './calendar.ts';
import { findDigitRuns, type DigitRun } from './digit-runs.ts';
import { findNumbers, isNumberWord, type SpokenNumber } from './spoken-numbers.ts';
import { tokenize, type Token } from './tokens.ts';

const NONE: readonly never[] = [];

export class Utterance {
  private tokenList: readonly Token[] | undefined;
  private wordList: readonly Token[] | undefined;
  private numeric: boolean | undefined;
  private runs: ReadonlyArray<Readonly<DigitRun>> | undefined;
  private numberList: ReadonlyArray<Readonly<SpokenNumber>> | undefined;
  private calendarKey: { now: number; timeZone: string | undefined } | undefined;
  private mentions: ReadonlyArray<Readonly<CalendarMention>> = NONE;

  constructor(readonly text: string) {}

  /** The utterance of a text, or the one given. */
  static of(text: string | Utterance): Utterance {
    return typeof text === 'string' ? new Utterance(text) : text;
  }

  /** Words, numerals and symbols with their offsets (`tokens.ts`). */
  get tokens(): readonly Token[] {
    this.tokenList ??= tokenize(this.text);
    return this.tokenList;
  }

  /** The tokens without symbols. */
  get words(): readonly Token[] {
    this.wordList ??= this.tokens.filter((t) => t.kind !== 'symbol');
    return this.wordList;
  }

  /**
   * Is there a numeral or a number word ("oh", "five", "hundred")? Without one no number, digit string,
   * amount of money or phone number can be read, and those extractors stop at once.
   */
  get mayHoldNumber(): boolean {
    this.numeric ??= this.tokens.some(
      (t) => t.kind === 'numeral' || (t.kind === 'word' && isNumberWord(t.norm)),
    );
    return this.numeric;
  }

  /** Digit strings: keys, numerals and spoken digits (`digit-runs.ts`). */
  get digitRuns(): ReadonlyArray<Readonly<DigitRun>> {
    this.runs ??= this.mayHoldNumber ? findDigitRuns(this.tokens) : NONE;
    return this.runs;
  }

  /** Numbers by the reading rule of `spoken-numbers.ts`. */
  get numbers(): ReadonlyArray<Readonly<SpokenNumber>> {
    this.numberList ??= this.mayHoldNumber ? findNumbers(this.tokens) : NONE;
    return this.numberList;
  }

  /** Date and time mentions relative to `options.now` in `options.timeZone`, in text order. */
  calendar(options: CalendarOptions): ReadonlyArray<Readonly<CalendarMention>> {
    const now = options.now.getTime();
    const key = this.calendarKey;
    if (key?.now === now && key.timeZone === options.timeZone) return this.mentions;
    this.mentions = mayMentionCalendar(this.text) ? parseCalendar(this.text, this.tokens, options) : NONE;
    this.calendarKey = { now, timeZone: options.timeZone };
    return this.mentions;
  }
}
