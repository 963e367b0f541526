import { describe, expect, it } from 'vitest';
import { extractMoney, extractMoneys } from './money.ts';

describe('money entity', () => {
  it.each([
    ['$25', 25, 'USD'],
    ['$ 1,250.75', 1250.75, 'USD'],
    ['twenty five dollars', 25, 'USD'],
    ['25.50 euros', 25.5, 'EUR'],
    ['a hundred bucks', 100, 'USD'],
    ['€10', 10, 'EUR'],
    ['10 EUR', 10, 'EUR'],
    ['£5.99', 5.99, 'GBP'],
    ['five pounds', 5, 'GBP'],
    ['fifty cents', 0.5, 'USD'],
    ['twenty five dollars and fifty cents', 25.5, 'USD'],
    ['25 dollars 50', 25.5, 'USD'],
    ['two hundred and fifty dollars', 250, 'USD'],
  ])('reads %j as %d %s', (text, amount, currency) => {
    expect(extractMoney(text)?.value).toEqual({ amount, currency });
  });

  it('reports the words with the currency', () => {
    expect(extractMoney('pay 50 dollars tomorrow')).toEqual({
      value: { amount: 50, currency: 'USD' },
      text: '50 dollars',
      start: 4,
      end: 14,
    });
    expect(extractMoney('$25 for 2 items')?.text).toBe('$25');
  });

  it('needs a currency unless an amount was asked for', () => {
    expect(extractMoney('two hundred')).toBeUndefined();
    expect(extractMoney('two hundred', { bareNumbers: true })?.value).toEqual({
      amount: 200,
      currency: 'USD',
    });
    // an amount with a currency wins over a bare number said before it
    expect(extractMoney('2 payments of $40', { bareNumbers: true })?.value).toEqual({
      amount: 40,
      currency: 'USD',
    });
  });

  it('gives dollars and bare amounts the default currency when it is a dollar', () => {
    expect(extractMoney('twenty dollars', { defaultCurrency: 'CAD' })?.value).toEqual({
      amount: 20,
      currency: 'CAD',
    });
    expect(extractMoney('twenty dollars', { defaultCurrency: 'EUR' })?.value).toEqual({
      amount: 20,
      currency: 'USD',
    });
    expect(extractMoney('twenty', { defaultCurrency: 'EUR', bareNumbers: true })?.value).toEqual({
      amount: 20,
      currency: 'EUR',
    });
  });

  it('applies min and max, and finds every amount', () => {
    expect(extractMoney('$5 or $500', { min: 10 })?.value.amount).toBe(500);
    expect(extractMoneys('$5 now and 20 euros later').map((m) => m.value)).toEqual([
      { amount: 5, currency: 'USD' },
      { amount: 20, currency: 'EUR' },
    ]);
  });
});
