/** The `date` entity: an ISO day `YYYY-MM-DD`, absolute or relative to the reference time ("next Friday", "the 3rd"). */
import type { CalendarOptions } from './calendar.ts';
import { extraction, type Extraction } from './extraction.ts';
import { Utterance } from './utterance.ts';

export function extractDates(text: string | Utterance, options: CalendarOptions): Array<Extraction<string>> {
  const u = Utterance.of(text);
  const out: Array<Extraction<string>> = [];
  for (const m of u.calendar(options))
    if (m.date !== undefined) out.push(extraction(u.text, m.date, m.start, m.end));
  return out;
}

export function extractDate(
  text: string | Utterance,
  options: CalendarOptions,
): Extraction<string> | undefined {
  return extractDates(text, options)[0];
}
