import { describe, expect, it } from 'vitest';
import { cloneState } from './clone-state.ts';
import { initialState } from './state.ts';

describe('cloneState', () => {
  it('copies a state deeply: changing the copy leaves the original as it was', () => {
    const state = initialState({ session: { channel: 'chat', sip: { headers: { 'x-contactid': 'c-1' } } }, bot: { hours: ['9', '5'] } });
    state.stack.push({ dialog: 'pay', node: 'amount', attempts: { noInput: 0, noMatch: 1 } });
    const copy = cloneState(state);
    expect(copy).toStrictEqual(state);
    copy.stack[0]!.attempts.noMatch = 2;
    (copy.vars.session.sip as { headers: Record<string, string> }).headers['x-contactid'] = 'changed';
    (copy.vars.bot.hours as string[]).push('6');
    expect(state.stack[0]!.attempts.noMatch).toBe(1);
    expect(state.vars.session.sip).toEqual({ headers: { 'x-contactid': 'c-1' } });
    expect(state.vars.bot.hours).toEqual(['9', '5']);
  });

  it('keeps what is not plain data as structuredClone would: dates stay dates, undefined stays', () => {
    const when = new Date('2025-03-01T10:00:00.000Z');
    const value = { at: when, nothing: undefined, list: [null, 1, 'a', { deep: true }] };
    const copy = cloneState(value);
    expect(copy).toStrictEqual(structuredClone(value));
    expect(copy.at).toBeInstanceOf(Date);
    expect(copy.at).not.toBe(when);
    expect('nothing' in copy).toBe(true);
  });
});
