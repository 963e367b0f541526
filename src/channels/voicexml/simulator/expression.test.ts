import { describe, expect, it } from 'vitest';
import { evaluate, ExpressionError } from './expression.ts';
import { Scope } from './scope.ts';

function scope(): Scope {
  const doc = new Scope('session').child('application').child('document');
  doc.declare('name', 'Ada');
  doc.declare('count', 2);
  doc.declare('bot', { endOfConversation: false, transfer: true, transferQueue: 'cards', nested: { n: 1 } });
  return doc.child('dialog');
}

describe('expressions', () => {
  it('evaluates literals, variables, member access and operators with ECMAScript rules', () => {
    const s = scope();
    expect(s.evaluate("'Hello ' + name + '!'")).toBe('Hello Ada!');
    expect(s.evaluate('count + 1 == 3 && !bot.endOfConversation')).toBe(true);
    expect(s.evaluate("bot.transfer == true && bot['transferQueue'] != ''")).toBe(true);
    expect(s.evaluate("count == '2'")).toBe(true);
    expect(s.evaluate("count === '2'")).toBe(false);
    expect(s.evaluate('bot.nested.n * 10 - 4 / 2')).toBe(8);
    expect(s.evaluate('bot.missing == undefined || false')).toBe(true);
    expect(s.evaluate("name.length > 2 ? 'long' : 'short'")).toBe('long');
    expect(s.evaluate(String.raw`'it\u0027s'`)).toBe("it's");
    expect(s.evaluate('typeof nothing')).toBe('undefined');
  });

  it('refuses calls, constructors, undeclared variables and prototype access', () => {
    const s = scope();
    expect(() => s.evaluate('name.toUpperCase()')).toThrow(ExpressionError);
    expect(() => s.evaluate('new Object()')).toThrow(ExpressionError);
    expect(() => s.evaluate('nothing')).toThrow(/not declared/);
    expect(s.evaluate('bot.constructor')).toBeUndefined();
    expect(s.evaluate("name['constructor']")).toBeUndefined();
    expect(() => evaluate('1 +', () => undefined)).toThrow(ExpressionError);
  });

  it('assigns to declared variables, scope-qualified names and object properties only', () => {
    const s = scope();
    s.assign('count', 5);
    expect(s.evaluate('document.count')).toBe(5);
    s.declare('x', 1);
    s.assign('dialog.x', 2);
    expect(s.evaluate('x')).toBe(2);
    s.assign('bot.nested.n', 'changed');
    expect(s.evaluate('bot.nested.n')).toBe('changed');
    expect(() => s.assign('undeclared', 1)).toThrow(/not declared/);
    expect(() => s.assign('bot.__proto__', {})).toThrow(ExpressionError);
  });
});
