import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectValidVxml } from '../../../../test/support/vxml-validate.ts';
import { startVxmlServer, vxml, type VxmlServer } from '../../../../test/support/vxml-server.ts';
import { runIvrCall, type IvrCallResult } from './run-ivr-call.ts';

let server: VxmlServer;
const fetched: string[] = [];

/** Runs a call and keeps every VoiceXML document it fetched for the schema check. */
async function call(path: string, script: string[], extra: Partial<Parameters<typeof runIvrCall>[0]> = {}): Promise<IvrCallResult> {
  const result = await runIvrCall({ url: `${server.url}${path}`, script, ...extra });
  for (const d of result.documents) if (d.kind === 'document' && d.status === 200) fetched.push(d.body);
  return result;
}

const menu = vxml(`
  <menu id="main" dtmf="true">
    <prompt>Main menu. Say <enumerate/>.</prompt>
    <choice next="#balance">balance</choice>
    <choice next="/payments.vxml">make a payment</choice>
    <choice event="help">help</choice>
    <noinput>Please choose. <reprompt/></noinput>
    <nomatch>I did not get that.<reprompt/></nomatch>
    <help>You can say balance or make a payment.<reprompt/></help>
  </menu>
  <form id="balance">
    <block>Your balance is 42 dollars.<exit/></block>
  </form>`);

const payments = vxml(`
  <var name="attempts" expr="0"/>
  <form id="pay">
    <field name="account" type="digits?minlength=6;maxlength=8">
      <prompt count="1">Key in your account number.</prompt>
      <prompt count="2">Please key in the six to eight digits of your account number.</prompt>
      <noinput count="1"><assign name="attempts" expr="attempts + 1"/><reprompt/></noinput>
      <nomatch count="1">That is not an account number.<reprompt/></nomatch>
      <nomatch count="2">Sorry.<assign name="attempts" expr="attempts + 1"/><exit/></nomatch>
    </field>
    <field name="confirm" type="boolean">
      <prompt>Account <value expr="account"/>. Is that right?</prompt>
      <filled>
        <if cond="confirm == false"><clear namelist="account confirm"/>
        <elseif cond="attempts &gt; 0"/><submit next="/pay" method="post" namelist="account attempts"/>
        <else/><submit next="/pay" method="get" namelist="account"/>
        </if>
      </filled>
    </field>
  </form>`);

const paid = (account: string) => vxml(`<form><block><prompt>Payment set up for account ${account}.</prompt><disconnect/></block></form>`);

beforeAll(async () => {
  server = await startVxmlServer({
    '/menu.vxml': () => menu,
    '/payments.vxml': () => payments,
    '/pay': (r) => paid(r.params.account ?? '?'),
  });
});

afterAll(async () => {
  await server.close();
});

afterEach(async () => {
  await expectValidVxml(...fetched.splice(0));
});

describe('runIvrCall: menus and forms', () => {
  it('plays the menu with its choices and follows a spoken choice within the document', async () => {
    const r = await call('/menu.vxml', ['balance']);
    expect(r.prompts).toEqual(['Main menu. Say balance, make a payment, help.', 'Your balance is 42 dollars.']);
    expect(r.ending).toEqual({ kind: 'exit', value: undefined });
  });

  it('handles no-input, no-match and help with counts and reprompts, then keys choose', async () => {
    const r = await call('/menu.vxml', ['silence', 'what', 'help', 'dtmf:1']);
    expect(r.prompts).toEqual([
      'Main menu. Say balance, make a payment, help.',
      'Please choose.',
      'Main menu. Say balance, make a payment, help.',
      'I did not get that.',
      'Main menu. Say balance, make a payment, help.',
      'You can say balance or make a payment.',
      'Main menu. Say balance, make a payment, help.',
      'Your balance is 42 dollars.',
    ]);
  });

  it('goes to another document, taper prompts, validates digit lengths, confirms and submits the namelist', async () => {
    const r = await call('/menu.vxml', ['make a payment', 'silence', 'dtmf:123', 'dtmf:12345678#', 'dtmf:1']);
    expect(r.prompts).toEqual([
      'Main menu. Say balance, make a payment, help.',
      'Key in your account number.',
      'Please key in the six to eight digits of your account number.',
      'That is not an account number.',
      'Please key in the six to eight digits of your account number.',
      'Account 12345678. Is that right?',
      'Payment set up for account 12345678.',
    ]);
    const pay = server.requests.filter((q) => q.path === '/pay').at(-1);
    expect(pay).toEqual({ method: 'POST', path: '/pay', params: { account: '12345678', attempts: '1' } });
    expect(r.ending).toEqual({ kind: 'hangup' });
  });

  it('clears fields when the caller says no, and submits with GET', async () => {
    const r = await call('/menu.vxml', ['dtmf:2', 'dtmf:111111', 'no', 'dtmf:222222', 'yes']);
    expect(r.prompts.filter((p) => p.startsWith('Account'))).toEqual(['Account 111111. Is that right?', 'Account 222222. Is that right?']);
    const pay = server.requests.filter((q) => q.path === '/pay').at(-1);
    expect(pay).toEqual({ method: 'GET', path: '/pay', params: { account: '222222' } });
  });

  it('ends the call with the default handler when the caller hangs up, and when the script runs out', async () => {
    const hung = await call('/menu.vxml', ['hangup']);
    expect(hung.ending).toEqual({ kind: 'hangup' });
    const out = await call('/menu.vxml', []);
    expect(out.transcript.at(-1)).toEqual({ from: 'caller', text: '(hangup)' });
    expect(out.ending).toEqual({ kind: 'hangup' });
  });

  it('reports a document that cannot be fetched', async () => {
    const r = await call('/missing.vxml', []);
    expect(r.ending).toMatchObject({ kind: 'error', event: 'error.badfetch.http.404' });
  });
});
