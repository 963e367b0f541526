import { describe, expect, it } from 'vitest';
import { FakeClock } from './fake-clock.ts';
import type { DtmfDigit } from './frames.ts';
import {
  keypadStep,
  nextDeadlineMs,
  runKeypadCollector,
  startKeypad,
  type KeypadOptions,
  type KeypadState,
} from './keypad-collector.ts';

/** "Please enter your 8-digit account number, then press pound." */
const account: Partial<KeypadOptions> = {
  timeoutMs: 5000,
  interdigittimeoutMs: 3000,
  termchar: '#',
  minDigits: 8,
  maxDigits: 8,
};

/** Play a script of [atMs, key] presses (ticks at every deadline in between), return the final state. */
function play(
  options: Partial<KeypadOptions>,
  presses: Array<[number, string]>,
  untilMs = 60_000,
): KeypadState {
  let state = startKeypad(options, 0);
  const tickUntil = (t: number): void => {
    for (let d = nextDeadlineMs(state); d !== undefined && d <= t; d = nextDeadlineMs(state))
      state = keypadStep(state, { type: 'tick', atMs: d });
  };
  for (const [atMs, key] of presses) {
    tickUntil(atMs - 1);
    state = keypadStep(state, { type: 'digit', digit: key as DtmfDigit, atMs });
  }
  tickUntil(untilMs);
  return state;
}

const typed = (keys: string, startMs = 1000, gapMs = 500): Array<[number, string]> =>
  [...keys].map((k, i) => [startMs + i * gapMs, k]);

describe('keypad collector: 8-digit account number then #', () => {
  it('completes with the eight digits when # follows within termtimeout', () => {
    const state = play({ ...account, termtimeoutMs: 2000 }, typed('12345678#'));
    expect(state.outcome).toEqual({ type: 'complete', digits: '12345678', terminated: true });
  });

  it('completes on the eighth digit when termtimeout is 0 (the VoiceXML default)', () => {
    let state = startKeypad(account, 0);
    for (const [atMs, key] of typed('1234567'))
      state = keypadStep(state, { type: 'digit', digit: key as DtmfDigit, atMs });
    expect(state.outcome).toBeUndefined();
    state = keypadStep(state, { type: 'digit', digit: '8', atMs: 4500 });
    expect(state.outcome).toEqual({ type: 'complete', digits: '12345678', terminated: false });
  });

  it('completes when termtimeout runs out without the #', () => {
    let state = startKeypad({ ...account, termtimeoutMs: 2000 }, 0);
    for (const [atMs, key] of typed('12345678'))
      state = keypadStep(state, { type: 'digit', digit: key as DtmfDigit, atMs });
    expect(state.phase).toBe('awaiting-termchar');
    expect(nextDeadlineMs(state)).toBe(4500 + 2000);
    expect(keypadStep(state, { type: 'tick', atMs: 6499 }).outcome).toBeUndefined();
    expect(keypadStep(state, { type: 'tick', atMs: 6500 }).outcome).toEqual({
      type: 'complete',
      digits: '12345678',
      terminated: false,
    });
  });

  it('is a nomatch when # comes after too few digits', () => {
    expect(play(account, typed('12345#')).outcome).toEqual({
      type: 'nomatch',
      digits: '12345',
      why: 'too-few',
    });
  });

  it('is a nomatch when the caller stops after too few digits (interdigittimeout)', () => {
    let state = startKeypad(account, 0);
    for (const [atMs, key] of typed('12345'))
      state = keypadStep(state, { type: 'digit', digit: key as DtmfDigit, atMs });
    expect(nextDeadlineMs(state)).toBe(3000 + 3000);
    expect(keypadStep(state, { type: 'tick', atMs: 5999 }).outcome).toBeUndefined();
    expect(keypadStep(state, { type: 'tick', atMs: 6000 }).outcome).toEqual({
      type: 'nomatch',
      digits: '12345',
      why: 'too-few',
    });
  });

  it('is a noinput when no key comes within timeout, and not before', () => {
    const state = startKeypad(account, 100);
    expect(keypadStep(state, { type: 'tick', atMs: 5099 }).outcome).toBeUndefined();
    expect(keypadStep(state, { type: 'tick', atMs: 5100 }).outcome).toEqual({ type: 'noinput' });
  });

  it('is a nomatch when # is pressed first', () => {
    expect(play(account, [[800, '#']]).outcome).toEqual({ type: 'nomatch', digits: '', why: 'too-few' });
  });

  it('is a nomatch at once on a key the grammar does not allow', () => {
    const state = play(account, typed('123*'));
    expect(state.outcome).toEqual({ type: 'nomatch', digits: '123*', why: 'invalid-key' });
  });

  it('is a nomatch when a ninth digit comes while waiting for #', () => {
    expect(play({ ...account, termtimeoutMs: 2000 }, typed('123456789')).outcome).toEqual({
      type: 'nomatch',
      digits: '123456789',
      why: 'too-many',
    });
  });

  it('restarts the interdigit timer on every key: a slow but steady caller is not cut off', () => {
    const state = play({ ...account, termtimeoutMs: 3000 }, typed('12345678#', 4000, 2900));
    expect(state.outcome).toEqual({ type: 'complete', digits: '12345678', terminated: true });
  });

  it('lets a timer that ran out win over a key pressed after it, even without a tick', () => {
    let state = startKeypad(account, 0);
    state = keypadStep(state, { type: 'digit', digit: '1', atMs: 1000 });
    state = keypadStep(state, { type: 'digit', digit: '2', atMs: 4000 }); // interdigit deadline was 4000
    expect(state.outcome).toEqual({ type: 'nomatch', digits: '1', why: 'too-few' });
    expect(keypadStep(state, { type: 'digit', digit: '3', atMs: 4001 })).toBe(state);
  });
});

describe('keypad collector: other grammars', () => {
  const pin = { minDigits: 4, maxDigits: 8, interdigittimeoutMs: 2000, timeoutMs: 5000 };

  it('completes a variable-length entry on interdigittimeout or on #', () => {
    expect(play(pin, typed('123456')).outcome).toEqual({
      type: 'complete',
      digits: '123456',
      terminated: false,
    });
    expect(play(pin, typed('123456#')).outcome).toEqual({
      type: 'complete',
      digits: '123456',
      terminated: true,
    });
  });

  it('treats # as a key when termchar is disabled', () => {
    expect(play({ ...pin, termchar: '', allowed: '0123456789#' }, typed('12#4')).outcome).toEqual({
      type: 'complete',
      digits: '12#4',
      terminated: false,
    });
    expect(play({ ...pin, termchar: '' }, typed('12#')).outcome).toMatchObject({
      type: 'nomatch',
      why: 'invalid-key',
    });
  });

  it('supports another termchar', () => {
    expect(play({ ...pin, termchar: '*' }, typed('9999*')).outcome).toEqual({
      type: 'complete',
      digits: '9999',
      terminated: true,
    });
  });

  it('refuses impossible digit bounds', () => {
    expect(() => startKeypad({ minDigits: 5, maxDigits: 4 }, 0)).toThrow(/minDigits/);
  });
});

describe('keypad collector on a clock', () => {
  it('drives its own timers and reports once', () => {
    const clock = new FakeClock();
    const outcomes: unknown[] = [];
    const collector = runKeypadCollector(clock, { ...account, termtimeoutMs: 1500 }, (o) => outcomes.push(o));
    clock.advance(4000);
    for (const key of '87654321') {
      collector.pushDigit(key as DtmfDigit);
      clock.advance(400);
    }
    expect(outcomes).toEqual([]);
    clock.advance(1100);
    expect(outcomes).toEqual([{ type: 'complete', digits: '87654321', terminated: false }]);
    collector.pushDigit('#');
    clock.advance(10_000);
    expect(outcomes).toHaveLength(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('reports noinput after the timeout and stops when cancelled', () => {
    const clock = new FakeClock();
    const outcomes: unknown[] = [];
    runKeypadCollector(clock, account, (o) => outcomes.push(o));
    clock.advance(5000);
    expect(outcomes).toEqual([{ type: 'noinput' }]);
    const cancelled = runKeypadCollector(clock, account, (o) => outcomes.push(o));
    cancelled.cancel();
    clock.advance(60_000);
    expect(outcomes).toHaveLength(1);
  });
});
