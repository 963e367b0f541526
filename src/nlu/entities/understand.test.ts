import { describe, expect, it } from 'vitest';
import type { EntityDef } from '../../core/bot.ts';
import { understandEntities } from './understand.ts';

const now = new Date('2025-03-12T15:00:00Z');
const options = { timeZone: 'America/New_York' };
const entities: Record<string, EntityDef> = {
  amount: { name: 'amount', type: 'money', sensitive: false },
  payDate: { name: 'payDate', type: 'date', sensitive: false },
  account: {
    name: 'account',
    type: 'list',
    sensitive: false,
    values: [
      { value: 'checking', synonyms: ['current'] },
      { value: 'savings', synonyms: [] },
    ],
  },
  pin: { name: 'pin', type: 'digits', sensitive: true, minLength: 4, maxLength: 4 },
  count: { name: 'count', type: 'number', sensitive: false },
  note: { name: 'note', type: 'text', sensitive: false },
};

describe('entities of an utterance', () => {
  it('fills several slots from the first utterance, in text order', () => {
    const u = understandEntities(
      'pay 50 dollars tomorrow from my savings',
      { kind: 'intent' },
      now,
      entities,
      options,
    );
    expect(u.entities).toEqual([
      { name: 'amount', value: { amount: 50, currency: 'USD' }, text: '50 dollars' },
      { name: 'payDate', value: '2025-03-13', text: 'tomorrow' },
      { name: 'account', value: 'savings', text: 'savings' },
    ]);
    expect(u.amend).toBe(false);
  });

  it('puts the expected entity first, named after its definition, and accepts a bare amount for it', () => {
    const u = understandEntities(
      'two hundred from checking',
      { kind: 'entity', entity: entities.amount! },
      now,
      entities,
      options,
    );
    expect(u.entities[0]).toEqual({
      name: 'amount',
      value: { amount: 200, currency: 'USD' },
      text: 'two hundred',
    });
    expect(u.entities[1]).toMatchObject({ name: 'account', value: 'checking' });
    // the number entity does not take the words the amount already took
    expect(u.entities.some((e) => e.name === 'count')).toBe(false);
  });

  it('answers a confirmation with a yes/no named confirm', () => {
    expect(
      understandEntities('yeah that is right', { kind: 'confirm' }, now, entities, options).entities,
    ).toEqual([{ name: 'confirm', value: true, text: 'that is right' }]);
  });

  it('reads digit strings for the expected entity', () => {
    const u = understandEntities(
      'four one five two',
      { kind: 'entity', entity: entities.pin! },
      now,
      entities,
      options,
    );
    expect(u.entities[0]).toEqual({ name: 'pin', value: '4152', text: 'four one five two' });
  });

  it('takes the whole answer for an expected text entity and never finds text unasked', () => {
    const said = 'the machine kept my card';
    expect(
      understandEntities(said, { kind: 'entity', entity: entities.note! }, now, entities, options)
        .entities[0],
    ).toEqual({
      name: 'note',
      value: said,
      text: said,
    });
    expect(understandEntities(said, { kind: 'intent' }, now, entities, options).entities).toEqual([]);
  });

  it('marks an amendment and takes the new value after the cue', () => {
    const asked = understandEntities(
      'no, make that two hundred',
      { kind: 'entity', entity: entities.amount! },
      now,
      entities,
      options,
    );
    expect(asked).toEqual({
      entities: [{ name: 'amount', value: { amount: 200, currency: 'USD' }, text: 'two hundred' }],
      amend: true,
    });
    const date = understandEntities(
      'tomorrow, no actually make it Friday',
      { kind: 'entity', entity: entities.payDate! },
      now,
      entities,
      options,
    );
    expect(date).toEqual({
      entities: [{ name: 'payDate', value: '2025-03-14', text: 'Friday' }],
      amend: true,
    });
  });

  it('reports a correction during a confirmation as no plus the new value', () => {
    const u = understandEntities('no, make that two hundred', { kind: 'confirm' }, now, entities, options);
    expect(u.entities).toEqual([
      { name: 'confirm', value: false, text: 'no' },
      { name: 'amount', value: { amount: 200, currency: 'USD' }, text: 'two hundred' },
    ]);
    expect(u.amend).toBe(true);
  });

  it('does not call a plain "no" or "actually" an amendment', () => {
    expect(understandEntities('no', { kind: 'confirm' }, now, entities, options).amend).toBe(false);
    expect(
      understandEntities('actually I want to check my balance', { kind: 'intent' }, now, entities, options)
        .amend,
    ).toBe(false);
  });

  it('reports built-in types the bot did not declare under the type name', () => {
    const u = understandEntities(
      'call me tomorrow at 5 pm on 415 555 2671',
      { kind: 'intent' },
      now,
      entities,
      options,
    );
    expect(u.entities).toEqual([
      { name: 'payDate', value: '2025-03-13', text: 'tomorrow at 5 pm' },
      { name: 'time', value: '17:00', text: 'tomorrow at 5 pm' },
      { name: 'phone', value: '+14155552671', text: '415 555 2671' },
    ]);
    const none = understandEntities('call me on 415 555 2671', { kind: 'intent' }, now, entities, {
      ...options,
      systemEntities: [],
    });
    expect(none.entities.map((e) => e.name)).not.toContain('phone');
  });
});
