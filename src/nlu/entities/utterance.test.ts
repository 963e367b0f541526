import { describe, expect, it } from 'vitest';
import type { BuiltinEntityType, EntityDef } from '../../core/bot.ts';
import { findDigitRuns } from './digit-runs.ts';
import { extractEntity } from './extract.ts';
import { findNumbers } from './spoken-numbers.ts';
import { testUtterances } from './testing/utterances.ts';
import { tokenize } from './tokens.ts';
import { understandEntities } from './understand.ts';
import { Utterance } from './utterance.ts';

const at = { now: new Date('2025-03-12T15:00:00Z'), timeZone: 'America/New_York' };
const utterances = testUtterances();

const def = (name: string, type: BuiltinEntityType, more: Partial<EntityDef> = {}): EntityDef => ({
  name,
  type,
  sensitive: false,
  ...more,
});

/** One entity of every type, as a bot declares them. */
const entities: Record<string, EntityDef> = {
  count: def('count', 'number'),
  pin: def('pin', 'digits', { minLength: 4, maxLength: 4 }),
  day: def('day', 'date'),
  hour: def('hour', 'time'),
  amount: def('amount', 'money'),
  phone: def('phone', 'phone'),
  email: def('email', 'email'),
  answer: def('answer', 'yesno'),
  account: def('account', 'list', {
    values: [
      { value: 'checking', synonyms: ['current account'] },
      { value: 'savings', synonyms: ['deposit account'] },
      { value: 'credit card', synonyms: ['visa', 'mastercard'] },
    ],
  }),
  policy: def('policy', 'regex', { pattern: '[A-Z]{2}\\d{4}' }),
  card: def('card', 'composite', { parts: ['pin', 'day'] }),
  note: def('note', 'text'),
};

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const item of Object.values(value)) deepFreeze(item);
}

/** An utterance whose every analysis is already made, and frozen. */
function frozenUtterance(text: string): Utterance {
  const u = new Utterance(text);
  deepFreeze(u.tokens);
  deepFreeze(u.words);
  deepFreeze(u.digitRuns);
  deepFreeze(u.numbers);
  deepFreeze(u.calendar(at));
  return u;
}

describe('utterance analysis', () => {
  it('analyses a text once and hands the same analysis to every reader', () => {
    const u = new Utterance('pay fifty dollars tomorrow at 5 pm');
    expect(u.tokens).toBe(u.tokens);
    expect(u.words).toBe(u.words);
    expect(u.numbers).toBe(u.numbers);
    expect(u.digitRuns).toBe(u.digitRuns);
    expect(u.calendar(at)).toBe(u.calendar({ ...at }));
    expect(u.calendar(at).map((m) => [m.date, m.time])).toEqual([['2025-03-13', '17:00']]);
  });

  it('reads the calendar again for another reference time or zone', () => {
    const u = new Utterance('tomorrow');
    expect(u.calendar(at)[0]?.date).toBe('2025-03-13');
    expect(u.calendar({ now: new Date('2025-03-20T15:00:00Z'), timeZone: at.timeZone })[0]?.date).toBe(
      '2025-03-21',
    );
    expect(u.calendar({ now: at.now, timeZone: 'Pacific/Kiritimati' })[0]?.date).toBe('2025-03-14');
  });

  it('says a text may hold a number whenever a number or a digit string is read in it', () => {
    for (const text of utterances) {
      const tokens = tokenize(text);
      const read = findNumbers(tokens).length + findDigitRuns(tokens).length;
      if (read > 0) expect(new Utterance(text).mayHoldNumber, text).toBe(true);
    }
    expect(new Utterance('what are your opening hours').mayHoldNumber).toBe(false);
  });

  it('is never written to by an extractor, and extracts what a plain text gives', () => {
    for (const text of utterances) {
      for (const entity of Object.values(entities)) {
        for (const expected of [false, true]) {
          const options = { ...at, entities, expected };
          expect(extractEntity(frozenUtterance(text), entity, options), `${entity.type}: ${text}`).toEqual(
            extractEntity(text, entity, options),
          );
        }
      }
      for (const expect_ of [
        { kind: 'intent' as const },
        { kind: 'confirm' as const },
        { kind: 'entity' as const, entity: entities.amount! },
      ]) {
        expect(understandEntities(frozenUtterance(text), expect_, at.now, entities, at), text).toEqual(
          understandEntities(text, expect_, at.now, entities, at),
        );
      }
    }
  });
});
