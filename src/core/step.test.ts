import { beforeAll, describe, expect, it } from 'vitest';
import { loadBotFolder } from '../bot/load.ts';
import type { Bot } from './bot.ts';
import { converse, entity, intent } from './testing/script.ts';

let bank: Bot;
beforeAll(async () => {
  bank = await loadBotFolder('examples/bank');
});

describe('dialog engine on the demo bank bot', () => {
  it('greets and waits at the main menu', () => {
    const c = converse(bank).start();
    expect(c.said()).toContain('Welcome to Acme Bank');
    expect(c.action('ask')?.expect).toEqual({ kind: 'intent' });
    expect(c.state.waiting).toEqual({ for: 'input' });
  });

  it('collects account and PIN by keypad, calls the balance service and tells the balance', () => {
    const c = converse(bank).start();
    c.text('what is my balance', intent('check_balance'));
    expect(c.said()).toContain('account number');
    c.dtmf('12345678');
    expect(c.said()).toContain('PIN');
    expect(c.action('ask')?.sensitive).toBe(true);
    c.dtmf('4321');
    const call = c.action('callService');
    expect(call?.request).toMatchObject({ method: 'POST', url: '/demo/bank/balance', body: { accountNumber: '12345678', pin: '4321' } });
    expect(c.state.sensitive).toContain('pin');
    c.send({ type: 'serviceResult', requestId: call!.requestId, ok: true, status: 200, body: { balance: { amount: 1520.5, currency: 'USD' } } });
    expect(c.said()).toContain('Your available balance is 1520.50 USD');
    expect(c.said()).toContain('anything else');
    expect(c.state.completedDialogs).toBe(1);
  });

  it('refuses an account number of the wrong length and re-prompts with the no-match prompt', () => {
    const c = converse(bank).start().text('balance', intent('check_balance'));
    c.dtmf('123');
    expect(c.said()).toContain('An account number has 8 digits');
    expect(c.state.stack[0]?.attempts.noMatch).toBe(1);
  });

  it('escalates when the retries run out', () => {
    const c = converse(bank).start().text('balance', intent('check_balance'));
    c.dtmf('1').dtmf('2');
    expect(c.action('escalate')).toBeUndefined();
    c.dtmf('3');
    expect(c.action('escalate')).toMatchObject({ queue: 'general', context: { reason: 'retries-exhausted', intent: 'check_balance' } });
  });

  it('takes a failed service call to the node’s error branch', () => {
    const c = converse(bank).start().text('balance', intent('check_balance')).dtmf('12345678').dtmf('0000');
    const call = c.action('callService')!;
    c.send({ type: 'serviceResult', requestId: call.requestId, ok: false, status: 401, error: 'HTTP 401' });
    expect(c.said()).toContain("couldn't verify");
  });

  it('takes a failed service call without an error branch to the bot’s error handler, never silence', () => {
    const c = converse(bank).start().text('I lost my card', intent('report_lost_card'));
    c.text('credit', entity('cardType', 'credit'));
    expect(c.said()).toContain('block your credit card');
    c.text('yes', entity('confirm', true));
    const call = c.action('callService')!;
    c.send({ type: 'serviceResult', requestId: call.requestId, ok: false, error: 'timed out after 3000 ms' });
    expect(c.said()).toContain('something went wrong');
    expect(c.said()).toContain('colleague');
    expect(c.action('escalate')?.context.reason).toBe('requested');
  });

  it('serves a digression and resumes the interrupted dialog', () => {
    const c = converse(bank).start().text('pay my bill', intent('make_payment'));
    c.text('50 dollars', entity('amount', { amount: 50, currency: 'USD' }));
    expect(c.said()).toContain('what date');
    c.text('wait, when are you open?', intent('opening_hours'));
    expect(c.said()).toContain('We are open Monday to Friday');
    expect(c.said()).toContain('back to what we were doing');
    expect(c.said()).toContain('what date');
    c.text('tomorrow', entity('paymentDate', '2026-11-21'));
    expect(c.said()).toContain('pay 50.00 USD on 2026-11-21');
  });

  it('lets the customer amend a value at the confirmation', () => {
    const c = converse(bank).start().text('pay', intent('make_payment'));
    c.text('50', entity('amount', { amount: 50, currency: 'USD' }));
    c.text('friday', entity('paymentDate', '2026-11-27'));
    c.text('no, make that two hundred', entity('amount', { amount: 200, currency: 'USD' }, { amend: true }));
    expect(c.said()).toContain('pay 200.00 USD on 2026-11-27');
    c.text('yes', entity('confirm', true));
    expect(c.said()).toContain('scheduled');
    expect(c.state.vars.session.paymentScheduled).toBe(true);
  });

  it('fills slots from the first sentence and skips their prompts', () => {
    const c = converse(bank).start();
    c.text('pay 80 dollars tomorrow', intent('make_payment', 0.9, [
      { name: 'amount', value: { amount: 80, currency: 'USD' }, text: '80 dollars' },
      { name: 'paymentDate', value: '2026-11-21', text: 'tomorrow' },
    ]));
    expect(c.said()).toContain('pay 80.00 USD on 2026-11-21');
  });

  it('routes large payments to a human through a logic condition', () => {
    const c = converse(bank).start().text('pay', intent('make_payment'));
    c.text('9000', entity('amount', { amount: 9000, currency: 'USD' })).text('today', entity('paymentDate', '2026-11-20'));
    expect(c.action('escalate')).toMatchObject({ queue: 'payments' });
    c.send({ type: 'escalationResult', available: true, queue: 'payments' });
    expect(c.said()).toContain('approval');
    expect(c.state.status).toBe('escalated');
  });

  it('says agent_unavailable and carries on when no human can take the customer', () => {
    const c = converse(bank).start().text('agent', intent('talk_to_agent'));
    expect(c.action('escalate')?.context.transferInfo).toEqual({ cxone: { customer: '' } });
    c.send({ type: 'escalationResult', available: false });
    expect(c.said()).toContain('agents are busy');
    expect(c.state.status).toBe('active');
    expect(c.action('ask')?.nodeRef).toBe('menu');
  });

  it('escalates after repeated not-understood turns at the menu', () => {
    const c = converse(bank).start();
    c.text('blah').text('blah');
    expect(c.said()).toContain("didn't catch");
    c.text('blah');
    expect(c.action('escalate')?.context.reason).toBe('not-understood');
  });

  it('treats speech under the ASR confidence threshold as not understood', () => {
    const c = converse(bank, { channel: 'voice' }).start();
    c.text('what is my balance', intent('check_balance'), 0.3);
    expect(c.said()).toContain("didn't catch");
    c.text('what is my balance', intent('check_balance'), 0.8);
    expect(c.said()).toContain('account number');
  });

  it('ends as abandoned on an early hang-up and as resolved after a finished dialog', () => {
    expect(converse(bank).start().hangup().state.outcome).toBe('abandoned');
    const c = converse(bank).start().text('hours', intent('opening_hours')).hangup();
    expect(c.state.outcome).toBe('resolved');
    expect(c.action('end')).toEqual({ type: 'end', outcome: 'resolved' });
  });

  it('ends as abandoned when the channel hangs up because of an error, whatever came before', () => {
    const c = converse(bank).start().text('hours', intent('opening_hours'));
    c.send({ type: 'hangup', reason: 'error' });
    expect(c.state.outcome).toBe('abandoned');
  });

  it('says goodbye and ends on the goodbye intent', () => {
    const c = converse(bank).start().text('bye', intent('goodbye'));
    expect(c.said()).toContain('Goodbye');
    expect(c.state.status).toBe('ended');
  });

  it('runs the error handler when a channel reports an error', () => {
    const c = converse(bank).start().event('error.badfetch');
    expect(c.said()).toContain('colleague');
  });

  it('is deterministic and never modifies the state it is given', () => {
    const a = converse(bank).start();
    const before = JSON.stringify(a.state);
    const b = converse(bank).start();
    expect(JSON.stringify(b.state)).toBe(before);
    const frozen = structuredClone(a.state);
    a.text('balance', intent('check_balance'));
    expect(frozen).toEqual(JSON.parse(before));
  });
});

describe('dialog engine safety', () => {
  it('takes a looping dialog to the error path instead of hanging', () => {
    const looping: Bot = structuredClone(bank);
    looping.dialogs.opening_hours = {
      id: 'opening_hours',
      intent: 'opening_hours',
      digressionIn: true,
      digressionOut: true,
      nodes: [{ id: 'a', type: 'logic', set: [], next: [{ goto: 'a' }] }],
    };
    const c = converse(looping).start().text('hours', intent('opening_hours'));
    expect(c.said()).toContain('something went wrong');
  });
});
