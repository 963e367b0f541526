/** The `time` entity: a clock time `HH:MM` (24 h) — "5 pm", "five thirty p m", "half past five", "noon". */
import { findCalendarMentions, type CalendarOptions } from './calendar.ts';
import { extraction, type Extraction } from './extraction.ts';

export function extractTime(text: string, options: CalendarOptions): Extraction<string> | undefined {
  for (const m of findCalendarMentions(text, options))
    if (m.time !== undefined) return extraction(text, m.time, m.start, m.end);
  return undefined;
}
