import type { BusinessHours, Weekday } from './model.ts';

const dayNames: Record<string, Weekday> = { Mon: 'mon', Tue: 'tue', Wed: 'wed', Thu: 'thu', Fri: 'fri', Sat: 'sat', Sun: 'sun' };
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: timezone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timezone, f);
  }
  return f;
}

/** The wall-clock weekday, date and minute of the day at `at` in `timezone`. */
export function localTime(at: Date, timezone: string): { day: Weekday; date: string; minute: number } {
  const parts = Object.fromEntries(formatter(timezone).formatToParts(at).map((p) => [p.type, p.value]));
  const day = dayNames[parts.weekday ?? ''] ?? 'mon';
  return {
    day,
    date: `${parts.year}-${parts.month}-${parts.day}`,
    minute: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** `08:30-17:00` → [510, 1020]; undefined when malformed. `24:00` is allowed as an end. */
export function parseRange(range: string): [number, number] | undefined {
  const m = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/.exec(range.trim());
  if (!m) return undefined;
  const start = Number(m[1]) * 60 + Number(m[2]);
  const end = Number(m[3]) * 60 + Number(m[4]);
  if (end > 24 * 60 || end <= start) return undefined;
  return [start, end];
}

/** Is a queue with these hours open at `at`? No hours: always open. */
export function isOpen(hours: BusinessHours | undefined, at: Date): boolean {
  if (!hours) return true;
  const local = localTime(at, hours.timezone);
  if (hours.closedOn.includes(local.date)) return false;
  const ranges = hours.weekly[local.day] ?? [];
  return ranges.some((r) => {
    const parsed = parseRange(r);
    return parsed !== undefined && local.minute >= parsed[0] && local.minute < parsed[1];
  });
}

/** Is `timezone` a time zone this runtime knows? */
export function knownTimezone(timezone: string): boolean {
  try {
    formatter(timezone);
    return true;
  } catch {
    return false;
  }
}
