import { describe, expect, it } from 'vitest';
import { timeOrderedUuid, uuidTime } from './time-ordered-id.ts';

describe('timeOrderedUuid', () => {
  it('is a version 7 UUID carrying the millisecond it was made at', () => {
    const at = Date.UTC(2026, 10, 21, 8, 30, 0, 123);
    const id = timeOrderedUuid(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidTime(id)).toBe(at);
    expect(id.startsWith('01a1fd3a-03bb-7')).toBe(true); // that millisecond is 0x01a1fd3a03bb
  });

  it('sorts as the times it was made at, and stays unique within one millisecond', () => {
    const times = [Date.UTC(2024, 0, 1), Date.UTC(2026, 10, 21), Date.UTC(2026, 10, 21, 0, 0, 0, 1), Date.UTC(2031, 5, 1)];
    const ids = times.map((t) => timeOrderedUuid(t));
    expect([...ids].sort()).toEqual(ids);
    const same = new Set(Array.from({ length: 1000 }, () => timeOrderedUuid(times[1])));
    expect(same.size).toBe(1000);
  });

  it('reads no time from a random (version 4) UUID', () => {
    expect(uuidTime('3be94e2b-40fc-4034-b42b-21482bdac1c3')).toBeUndefined();
  });
});
