import type { Clock } from './clock.ts';
import type { DtmfDigit } from './frames.ts';

/**
 * Collecting keypad digits with the timing of VoiceXML 2.0 (section 6.3.3 and Appendix D), for a
 * digit-string grammar of `minDigits`..`maxDigits` keys from `allowed`:
 *
 * - `timeoutMs` runs from the start until the first key; if it expires, the result is noinput.
 * - after each key, `interdigittimeoutMs` runs; if it expires, the result is complete when enough
 *   digits were entered, nomatch when too few.
 * - `termchar` ends input at once: complete with enough digits, nomatch with too few. It is not part
 *   of the digits. An empty termchar disables it.
 * - when `maxDigits` is reached the input can take no more keys: with a termchar and a non-zero
 *   `termtimeoutMs`, the collector waits that long for the termchar (which is consumed) and then
 *   completes; a further digit in that window makes the input longer than the grammar allows (nomatch).
 *   With termtimeout 0 (the VoiceXML default) it completes at once.
 * - a key outside `allowed` that is not the termchar is a nomatch at once.
 *
 * It is a pure state machine: feed it digit events and clock ticks (`nextDeadlineMs` says when the
 * next tick matters) and read `outcome`. Times are absolute milliseconds of one clock.
 */

export interface KeypadOptions {
  timeoutMs: number;
  interdigittimeoutMs: number;
  termtimeoutMs: number;
  termchar: string;
  minDigits: number;
  maxDigits: number;
  allowed: string;
}

export const DEFAULT_KEYPAD_OPTIONS: KeypadOptions = {
  timeoutMs: 5000,
  interdigittimeoutMs: 3000,
  termtimeoutMs: 0,
  termchar: '#',
  minDigits: 1,
  maxDigits: 32,
  allowed: '0123456789',
};

export type KeypadOutcome =
  | { type: 'complete'; digits: string; /** ended by the termchar */ terminated: boolean }
  | { type: 'noinput' }
  | { type: 'nomatch'; digits: string; why: 'too-few' | 'too-many' | 'invalid-key' };

export type KeypadPhase = 'waiting-first' | 'collecting' | 'awaiting-termchar' | 'done';

export interface KeypadState {
  readonly options: KeypadOptions;
  readonly phase: KeypadPhase;
  readonly digits: string;
  /** When the running timer expires (irrelevant once done). */
  readonly deadlineMs: number;
  readonly outcome?: KeypadOutcome;
}

export type KeypadEvent = { type: 'digit'; digit: DtmfDigit; atMs: number } | { type: 'tick'; atMs: number };

export function startKeypad(options: Partial<KeypadOptions>, nowMs: number): KeypadState {
  const full = { ...DEFAULT_KEYPAD_OPTIONS, ...options };
  if (full.minDigits < 0 || full.maxDigits < Math.max(1, full.minDigits)) {
    throw new RangeError(
      `keypad collector: need 0 <= minDigits <= maxDigits and maxDigits >= 1 (got ${full.minDigits}..${full.maxDigits})`,
    );
  }
  return { options: full, phase: 'waiting-first', digits: '', deadlineMs: nowMs + full.timeoutMs };
}

export function nextDeadlineMs(state: KeypadState): number | undefined {
  return state.phase === 'done' ? undefined : state.deadlineMs;
}

export function keypadStep(state: KeypadState, event: KeypadEvent): KeypadState {
  if (state.phase === 'done') return state;
  // A timer that has run out fires before anything that happens at or after it.
  if (event.atMs >= state.deadlineMs) state = expire(state);
  if (state.phase === 'done' || event.type === 'tick') return state;
  return press(state, event.digit, event.atMs);
}

function done(state: KeypadState, outcome: KeypadOutcome): KeypadState {
  return { ...state, phase: 'done', outcome };
}

function expire(state: KeypadState): KeypadState {
  const { digits, options } = state;
  switch (state.phase) {
    case 'waiting-first':
      return done(state, { type: 'noinput' });
    case 'collecting':
      return digits.length >= options.minDigits
        ? done(state, { type: 'complete', digits, terminated: false })
        : done(state, { type: 'nomatch', digits, why: 'too-few' });
    case 'awaiting-termchar':
      return done(state, { type: 'complete', digits, terminated: false });
    case 'done':
      return state;
  }
}

function press(state: KeypadState, digit: DtmfDigit, atMs: number): KeypadState {
  const { options, digits } = state;
  if (options.termchar !== '' && digit === options.termchar) {
    return digits.length >= options.minDigits
      ? done(state, { type: 'complete', digits, terminated: true })
      : done(state, { type: 'nomatch', digits, why: 'too-few' });
  }
  if (state.phase === 'awaiting-termchar')
    return done(state, { type: 'nomatch', digits: digits + digit, why: 'too-many' });
  if (!options.allowed.includes(digit))
    return done(state, { type: 'nomatch', digits: digits + digit, why: 'invalid-key' });
  const next = digits + digit;
  if (next.length >= options.maxDigits) {
    if (options.termchar !== '' && options.termtimeoutMs > 0) {
      return { ...state, phase: 'awaiting-termchar', digits: next, deadlineMs: atMs + options.termtimeoutMs };
    }
    return done({ ...state, digits: next }, { type: 'complete', digits: next, terminated: false });
  }
  return { ...state, phase: 'collecting', digits: next, deadlineMs: atMs + options.interdigittimeoutMs };
}

/**
 * The state machine on a live clock: push digits as they arrive; `onOutcome` is called once.
 * Returns `cancel` (stop without an outcome, e.g. on hang-up).
 */
export function runKeypadCollector(
  clock: Clock,
  options: Partial<KeypadOptions>,
  onOutcome: (outcome: KeypadOutcome) => void,
): { pushDigit(digit: DtmfDigit): void; cancel(): void; readonly state: KeypadState } {
  let state = startKeypad(options, clock.now());
  let cancelTimer: (() => void) | undefined;
  let cancelled = false;
  const apply = (event: KeypadEvent): void => {
    if (cancelled) return;
    state = keypadStep(state, event);
    cancelTimer?.();
    cancelTimer = undefined;
    if (state.outcome) {
      cancelled = true;
      onOutcome(state.outcome);
      return;
    }
    const deadline = nextDeadlineMs(state);
    if (deadline !== undefined)
      cancelTimer = clock.setTimer(deadline - clock.now(), () => apply({ type: 'tick', atMs: clock.now() }));
  };
  apply({ type: 'tick', atMs: clock.now() });
  return {
    pushDigit: (digit) => apply({ type: 'digit', digit, atMs: clock.now() }),
    cancel: () => {
      cancelled = true;
      cancelTimer?.();
    },
    get state() {
      return state;
    },
  };
}
