import { describe, expect, it } from 'vitest';
import { evaluate, ExpressionError, parseExpression } from './expression.ts';
import { renderDeep, renderTemplate } from './template.ts';

const vars: Record<string, unknown> = {
  session: { channel: 'voice', count: 3, from: '+15551234567' },
  entities: { amount: { amount: 250, currency: 'USD' }, pin: '1234', tags: ['a', 'b'] },
};
const lookup = (path: string[]) => path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), vars);
const ev = (src: string) => evaluate(parseExpression(src), lookup);

describe('expressions', () => {
  it('compares, combines and calls functions', () => {
    expect(ev("entities.amount.amount > 100 and session.channel == 'voice'")).toBe(true);
    expect(ev('session.count * 2 + 1')).toBe(7);
    expect(ev("not exists(entities.missing) || false")).toBe(true);
    expect(ev('len(entities.pin) == 4')).toBe(true);
    expect(ev("contains(entities.tags, 'b')")).toBe(true);
    expect(ev("'42' == 42")).toBe(true);
    expect(ev('session.nothing.deeper')).toBeUndefined();
    expect(ev('-(1 + 2) < 0 && !(1 > 2)')).toBe(true);
  });

  it('reports the column of a syntax error', () => {
    expect(() => parseExpression('a >> 1')).toThrow(ExpressionError);
    expect(() => parseExpression('a >> 1')).toThrow(/column 4/);
    expect(() => parseExpression("eval('x')")).toThrow(/unknown function 'eval'/);
    expect(() => parseExpression("'open")).toThrow(/unterminated string/);
  });
});

describe('templates', () => {
  it('formats money, lists and missing values for people', () => {
    expect(renderTemplate('Pay {{ entities.amount }} from {{entities.tags}}{{session.none}}.', lookup)).toBe('Pay 250.00 USD from a, b.');
  });

  it('keeps the type of a value that fills a whole string in a request body', () => {
    expect(renderDeep({ n: '{{session.count}}', s: 'x{{session.count}}', list: ['{{entities.pin}}'] }, lookup)).toEqual({ n: 3, s: 'x3', list: ['1234'] });
  });
});
