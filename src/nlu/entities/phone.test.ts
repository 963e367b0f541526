import { describe, expect, it } from 'vitest';
import { getCountries, Metadata } from 'libphonenumber-js';
import { extractPhone, MIN_PHONE_DIGITS } from './phone.ts';

describe('phone entity', () => {
  it.each([
    ['(415) 555-2671', '+14155552671'],
    ['415-555-2671', '+14155552671'],
    ['call me at 415 555 2671 please', '+14155552671'],
    ['+44 20 7946 0958', '+442079460958'],
    ['plus one four one five five five five two six seven one', '+14155552671'],
    ['four one five, five five five, two six seven one', '+14155552671'],
    ['one eight hundred five five five one two one two', '+18005551212'],
  ])('reads %j as %s', (text, e164) => {
    expect(extractPhone(text)?.value).toBe(e164);
  });

  it('uses the default region for national numbers', () => {
    expect(
      extractPhone('oh two oh seven nine four six oh nine five eight', { defaultRegion: 'GB' })?.value,
    ).toBe('+442079460958');
    expect(extractPhone('020 7946 0958', { defaultRegion: 'GB' })?.value).toBe('+442079460958');
    expect(extractPhone('020 7946 0958')).toBeUndefined();
  });

  it('reports the words including the plus', () => {
    expect(extractPhone('it is +44 20 7946 0958')).toMatchObject({ text: '+44 20 7946 0958', start: 6 });
  });

  it('rejects digit strings that are not phone numbers', () => {
    expect(extractPhone('1234')).toBeUndefined();
    expect(extractPhone('my pin is four one five two')).toBeUndefined();
  });

  it('leaves strings of fewer digits than any possible number in any region to the pre-filter', () => {
    // every possible (so every valid) number has a national number of one of its region's lengths
    const metadata = new Metadata();
    for (const region of getCountries()) {
      metadata.selectNumberingPlan(region);
      const lengths = metadata.numberingPlan?.possibleLengths() ?? [];
      expect(Math.min(...lengths), region).toBeGreaterThanOrEqual(MIN_PHONE_DIGITS);
    }
    expect(extractPhone('pay 50 dollars on the 3rd')).toBeUndefined();
  });

  it('finds a number said run together with other digits', () => {
    expect(extractPhone('415-555-2671 1234')).toMatchObject({ value: '+14155552671', text: '415-555-2671' });
    expect(extractPhone('12 (415) 555-2671')).toMatchObject({ value: '+14155552671', start: 3 });
    expect(extractPhone('12345678')).toBeUndefined();
  });
});
