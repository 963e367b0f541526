import { describe, expect, it } from 'vitest';
import { SignInThrottle } from './sign-in-throttle.ts';

const minutes = (n: number): number => n * 60_000;

function throttleAt(start = 0) {
  let now = start;
  const throttle = new SignInThrottle({ maxFailuresPerUsername: 3, maxFailuresPerAddress: 5, windowMs: minutes(15), maxKeys: 100, now: () => now });
  return { throttle, advance: (ms: number) => (now += ms) };
}

describe('sign-in throttle', () => {
  it('refuses a username after its failures, for the rest of the window from the first one', () => {
    const { throttle, advance } = throttleAt();
    for (let i = 0; i < 3; i++) {
      expect(throttle.waitSeconds('ann', '10.0.0.1')).toBe(0);
      throttle.failed('ann', '10.0.0.1');
      advance(minutes(1));
    }
    // first failure at 0, now 3 minutes: 12 minutes to go, from any address and in any case
    expect(throttle.waitSeconds('ann', '10.0.0.1')).toBe(12 * 60);
    expect(throttle.waitSeconds('ANN', '10.9.9.9')).toBe(12 * 60);
    expect(throttle.waitSeconds('bob', '10.0.0.1')).toBe(0);
    advance(minutes(12));
    expect(throttle.waitSeconds('ann', '10.0.0.1')).toBe(0);
  });

  it('counts a success as a fresh start for the username', () => {
    const { throttle } = throttleAt();
    throttle.failed('ann', '10.0.0.1');
    throttle.failed('ann', '10.0.0.1');
    throttle.succeeded('ann');
    throttle.failed('ann', '10.0.0.1');
    throttle.failed('ann', '10.0.0.1');
    expect(throttle.waitSeconds('ann', '10.0.0.1')).toBe(0);
  });

  it('refuses an address that tries many usernames, and only that address', () => {
    const { throttle } = throttleAt();
    for (const name of ['a', 'b', 'c', 'd', 'e']) throttle.failed(name, '10.0.0.7');
    expect(throttle.waitSeconds('f', '10.0.0.7')).toBe(15 * 60);
    expect(throttle.waitSeconds('f', '10.0.0.8')).toBe(0);
    expect(throttle.waitSeconds('f', undefined)).toBe(0);
  });

  it('remembers a bounded number of keys, forgetting the oldest first', () => {
    const { throttle } = throttleAt();
    for (let i = 0; i < 3; i++) throttle.failed('target', undefined);
    expect(throttle.waitSeconds('target', undefined)).toBeGreaterThan(0);
    // a flood of made-up usernames (one key each) pushes the oldest key out, and the map stays at its bound
    for (let i = 0; i < 100; i++) throttle.failed(`made-up-${i}`, undefined);
    expect(throttle.waitSeconds('target', undefined)).toBe(0);
    for (let i = 0; i < 3; i++) throttle.failed('made-up-99', undefined);
    expect(throttle.waitSeconds('made-up-99', undefined)).toBeGreaterThan(0);
  });
});
