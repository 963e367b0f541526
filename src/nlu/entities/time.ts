/** The `time` entity: a clock time `HH:MM` (24 h) — "5 pm", "five thirty p m", "half past five", "noon". */
import type { CalendarOptions } from './calendar.ts';
import { extraction, type Extraction } from './extraction.ts';
import { Utterance } from './utterance.ts';

export function extractTime(
  text: string | Utterance,
  options: CalendarOptions,
): Extraction<string> | undefined {
  const u = Utterance.of(text);
  for (const m of u.calendar(options))
    if (m.time !== undefined) return extraction(u.text, m.time, m.start, m.end);
  return undefined;
}
