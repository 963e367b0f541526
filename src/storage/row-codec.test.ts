import { describe, expect, it } from 'vitest';
import { storedTimestamp } from './row-codec.ts';

describe('storedTimestamp', () => {
  it('keeps the canonical UTC form as it is', () => {
    for (const t of ['2025-01-31T09:30:00.000Z', '2024-02-28T23:59:59.999Z', '1999-12-01T00:00:00.000Z']) expect(storedTimestamp(t, 'at')).toBe(t);
  });

  it('turns any other ISO 8601 form of an instant into the canonical UTC one', () => {
    expect(storedTimestamp('2025-01-31T10:30:00+01:00', 'at')).toBe('2025-01-31T09:30:00.000Z');
    expect(storedTimestamp('2025-01-31T09:30Z', 'at')).toBe('2025-01-31T09:30:00.000Z');
    expect(storedTimestamp('2024-02-29T12:00:00.000Z', 'at')).toBe('2024-02-29T12:00:00.000Z');
    expect(storedTimestamp('2025-02-30T00:00:00.000Z', 'at')).toBe(new Date(Date.parse('2025-02-30T00:00:00.000Z')).toISOString());
  });

  it('refuses what is not a timestamp, naming the field', () => {
    expect(() => storedTimestamp('yesterday', 'startedAt')).toThrow(/startedAt must be an ISO 8601 timestamp/);
  });
});
