/**
 * The channel end to end without the engine: a stand-in webhook answers with documents rendered from
 * scripted actions and reads what they submit; the simulator plays the calling IVR (a `<subdialog>` into
 * the webhook) and the caller.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Action } from '../../core/action.ts';
import { askFor, entity, escalationContext, ivrSettings } from '../../../test/support/ivr-fixtures.ts';
import { expectValidVxml } from '../../../test/support/vxml-validate.ts';
import { startVxmlServer, vxml, type VxmlServer } from '../../../test/support/vxml-server.ts';
import { renderVxml } from './render.ts';
import { runIvrCall, type IvrCallResult } from './simulator/run-ivr-call.ts';
import { readIvrStart, readIvrSubmission, type IvrStart, type IvrTurn } from './submission.ts';

const settings = ivrSettings({ transcription: true });
let server: VxmlServer;
const starts: IvrStart[] = [];
const turns: IvrTurn[] = [];
const fetched: string[] = [];

/** The webhook's script: what the "engine" answers to the opening request and to each turn. */
function answer(turn: IvrTurn | undefined): Action[] {
  if (!turn) {
    return [
      { type: 'say', prompt: { text: 'Welcome to Acme Bank.', voice: '<speak>Welcome to <emphasis>Acme</emphasis> Bank.</speak>' } },
      { type: 'say', prompt: { text: 'Please key in or say your four digit PIN.' } },
      askFor({ kind: 'entity', entity: entity({ type: 'digits', minLength: 4, maxLength: 4, sensitive: true }) }, { retries: 1, noInput: [{ text: 'I still need your PIN.' }] }),
    ];
  }
  switch (turn.type) {
    case 'dtmf':
      return [
        { type: 'say', prompt: { text: 'Thanks. An agent will help you with your card.' } },
        { type: 'escalate', queue: 'cards', context: escalationContext({ intent: 'lost_card', entities: { pin_checked: true }, message: 'Card reported lost' }) },
      ];
    case 'text':
      return [{ type: 'say', prompt: { text: `You said ${turn.text}. Goodbye.` } }, { type: 'end', outcome: 'resolved' }];
    default:
      return [{ type: 'say', prompt: { text: 'Goodbye.' } }, { type: 'end', outcome: 'abandoned' }];
  }
}

const callingIvr = vxml(`
  <var name="queue" expr="''"/>
  <form id="top">
    <var name="message" expr="'my card is lost'"/>
    <var name="from" expr="session.connection.remote.uri"/>
    <var name="to" expr="'acme-bank'"/>
    <block><prompt>Acme Bank, this call may be recorded.</prompt></block>
    <subdialog name="bot" src="/ivr/hooks/acme?token=jwt" namelist="message from to" method="post">
      <filled>
        <if cond="bot.transfer == true">
          <assign name="queue" expr="bot.transferQueue"/>
          <prompt>Please hold.</prompt>
          <goto next="#agent"/>
        <elseif cond="bot.endOfConversation == true"/>
          <prompt>Thank you for calling.</prompt>
          <disconnect/>
        </if>
      </filled>
    </subdialog>
  </form>
  <form id="agent">
    <transfer name="handoff" destexpr="'sip:' + queue + '@acd.example'" bridge="false"/>
  </form>`);

beforeAll(async () => {
  server = await startVxmlServer({
    '/ivr/main.vxml': () => callingIvr,
    '/ivr/hooks/acme': (request) => {
      const submitUrl = `${server.url}/ivr/hooks/acme?token=jwt&session=s1`;
      if (request.params.session === undefined) {
        starts.push(readIvrStart(request.params));
        return renderVxml(answer(undefined), { settings, submitUrl, language: 'en-US', conversation: { historyKey: 'hist-1' } });
      }
      const turn = readIvrSubmission(request.params, settings);
      if (!turn) return { status: 400, body: 'no turn' };
      turns.push(turn);
      if (turn.type === 'hangup') return '<ok/>';
      return renderVxml(answer(turn), { settings, submitUrl, conversation: { intent: 'lost_card', entities: {}, historyKey: 'hist-1' } });
    },
  });
});

afterAll(async () => {
  await server.close();
});

afterEach(async () => {
  await expectValidVxml(...fetched.splice(0));
  starts.length = 0;
  turns.length = 0;
});

async function call(path: string, script: string[]): Promise<IvrCallResult> {
  const result = await runIvrCall({ url: `${server.url}${path}`, script, caller: 'tel:+15550100' });
  for (const d of result.documents) if (d.kind === 'document' && d.status === 200) fetched.push(d.body);
  return result;
}

describe('IVR channel end to end', () => {
  it('runs inside the calling IVR, collects keys and hands the caller back for a transfer', async () => {
    const r = await call('/ivr/main.vxml', ['dtmf:4321']);
    expect(starts).toEqual([{ message: 'my card is lost', from: 'tel:+15550100', to: 'acme-bank', custom: {} }]);
    expect(turns).toEqual([{ type: 'dtmf', digits: '4321' }]);
    expect(r.prompts).toEqual([
      'Acme Bank, this call may be recorded.',
      'Welcome to Acme Bank.',
      'Please key in or say your four digit PIN.',
      'Thanks. An agent will help you with your card.',
      'Please hold.',
    ]);
    expect(r.returned).toMatchObject({ endOfConversation: false, transfer: true, transferQueue: 'cards', intent: 'lost_card', historyKey: 'hist-1', hangup: false });
    expect(JSON.parse(String(r.returned?.transferContext))).toMatchObject({ reason: 'requested', message: 'Card reported lost', entities: { pin_checked: true } });
    expect(r.transfers).toEqual(['sip:cards@acd.example']);
    expect(r.ending).toEqual({ kind: 'transfer', destination: 'sip:cards@acd.example' });
  });

  it('re-asks on silence, then tells Parley the retries ran out; the IVR ends the call', async () => {
    const r = await call('/ivr/main.vxml', ['silence', 'silence']);
    expect(r.prompts.slice(1)).toEqual(['Welcome to Acme Bank.', 'Please key in or say your four digit PIN.', 'I still need your PIN.', 'Goodbye.', 'Thank you for calling.']);
    expect(turns).toEqual([{ type: 'noInput', exhausted: true }]);
    expect(r.returned).toMatchObject({ endOfConversation: true, outcome: 'abandoned', transfer: false });
  });

  it('records the hang-up with Parley and returns hangup to the calling IVR', async () => {
    const r = await call('/ivr/main.vxml', ['hangup']);
    expect(turns).toEqual([{ type: 'hangup' }]);
    expect(server.requests.at(-1)?.params).toMatchObject({ parley_event: 'hangup', session: 's1' });
    expect(r.returned).toMatchObject({ hangup: true, endOfConversation: true });
    expect(r.ending).toEqual({ kind: 'hangup' });
  });

  it('treats speech under the confidence level as no-match, and submits words with confidence and mode', async () => {
    const r = await call('/ivr/hooks/acme?token=jwt', ['I lost my card [0.3]', 'I lost my card [0.8]']);
    expect(r.prompts).toEqual(['Welcome to Acme Bank.', 'Please key in or say your four digit PIN.', 'Please key in or say your four digit PIN.', 'You said I lost my card. Goodbye.']);
    expect(turns).toEqual([{ type: 'text', text: 'I lost my card', mode: 'voice', confidence: 0.8 }]);
    expect(server.requests.findLast((q) => q.params.userinput !== undefined)?.params).toMatchObject({ userinput: 'I lost my card', userinput_confidence: '0.8', userinput_inputmode: 'voice' });
    expect(r.ending).toMatchObject({ kind: 'return', values: { endOfConversation: true, outcome: 'resolved', intent: 'lost_card' } });
  });
});
