/** The `date` entity: an ISO day `YYYY-MM-DD`, absolute or relative to the reference time ("next Friday", "the 3rd"). */
import { findCalendarMentions, type CalendarOptions } from './calendar.ts';
import { extraction, type Extraction } from './extraction.ts';

export function extractDates(text: string, options: CalendarOptions): Array<Extraction<string>> {
  const out: Array<Extraction<string>> = [];
  for (const m of findCalendarMentions(text, options))
    if (m.date !== undefined) out.push(extraction(text, m.date, m.start, m.end));
  return out;
}

export function extractDate(text: string, options: CalendarOptions): Extraction<string> | undefined {
  return extractDates(text, options)[0];
}
