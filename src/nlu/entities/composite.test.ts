import { describe, expect, it } from 'vitest';
import type { EntityDef } from '../../core/bot.ts';
import { extractEntity } from './extract.ts';

const entities: Record<string, EntityDef> = {
  last4: { name: 'last4', type: 'digits', sensitive: true, minLength: 4, maxLength: 4 },
  expiry: { name: 'expiry', type: 'date', sensitive: false },
  card: { name: 'card', type: 'composite', sensitive: true, parts: ['last4', 'expiry'] },
};
const options = { now: new Date('2025-03-12T15:00:00Z'), timeZone: 'UTC', entities };

describe('composite entity', () => {
  it('returns an object of the parts found, spanning them', () => {
    const found = extractEntity(
      'the card ending four one five two expiring on the 3rd of next month',
      entities.card!,
      { ...options, expected: true },
    );
    expect(found?.value).toEqual({ last4: '4152', expiry: '2025-04-03' });
    expect(found?.text).toBe('four one five two expiring on the 3rd of next month');
  });

  it('accepts some parts when asked for, and needs them all when found unasked', () => {
    expect(extractEntity('it ends in 4152', entities.card!, { ...options, expected: true })?.value).toEqual({
      last4: '4152',
    });
    expect(extractEntity('it ends in 4152', entities.card!, { ...options, expected: false })).toBeUndefined();
  });

  it('does not let two parts take the same words', () => {
    const twice: Record<string, EntityDef> = {
      a: { name: 'a', type: 'number', sensitive: false },
      b: { name: 'b', type: 'number', sensitive: false },
      pair: { name: 'pair', type: 'composite', sensitive: false, parts: ['a', 'b'] },
    };
    expect(extractEntity('3 and 7', twice.pair!, { ...options, entities: twice })?.value).toEqual({
      a: 3,
      b: 7,
    });
  });
});
