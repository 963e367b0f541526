import { afterEach, describe, expect, it } from 'vitest';
import type { Action } from '../../core/action.ts';
import { askFor, entity, escalationContext, ivrSettings } from '../../../test/support/ivr-fixtures.ts';
import { expectValidVxml } from '../../../test/support/vxml-validate.ts';
import { renderVxml, renderVxmlFailure, VXML_NS, type IvrRenderOptions } from './render.ts';
import { parseXml, type Element } from './xml-dom.ts';

const submitUrl = 'https://parley.example/ivr/hooks/bank?token=t0k&session=abc';
const rendered: string[] = [];

/** Renders, keeps the document for the schema check at the end, and parses it for assertions. */
function render(actions: Action[], options: Partial<IvrRenderOptions> = {}): { xml: string; root: Element } {
  const xml = renderVxml(actions, { settings: ivrSettings(), submitUrl, ...options });
  rendered.push(xml);
  const root = parseXml(xml).documentElement;
  if (!root) throw new Error('no root');
  return { xml, root };
}

function all(root: Element, name: string): Element[] {
  return Array.from(root.getElementsByTagNameNS(VXML_NS, name));
}

function one(root: Element, name: string): Element {
  const [first] = all(root, name);
  if (!first) throw new Error(`no <${name}>`);
  return first;
}

function props(parent: Element): Record<string, string> {
  const out: Record<string, string> = {};
  for (let c = parent.firstChild; c; c = c.nextSibling) {
    const e = c as Element;
    if (e.localName === 'property') out[e.getAttribute('name') ?? ''] = e.getAttribute('value') ?? '';
  }
  return out;
}

const say = (text: string, voice?: string): Action => ({ type: 'say', prompt: voice ? { text, voice } : { text } });

afterEach(async () => {
  // Every document a test produced validates against the W3C schema.
  await expectValidVxml(...rendered.splice(0));
});

describe('renderVxml: prompts', () => {
  it('escapes plain text and plays the question in the field', () => {
    const { xml, root } = render([say('Rates < 5% & "fees" apply'), say('What now?'), askFor({ kind: 'intent' })]);
    expect(xml).toContain('Rates &lt; 5% &amp; "fees" apply');
    expect(one(root, 'block').textContent).toBe('Rates < 5% & "fees" apply');
    expect(one(root, 'field').getElementsByTagNameNS(VXML_NS, 'prompt')[0]?.textContent).toBe('What now?');
    expect(root.getAttribute('version')).toBe('2.1');
  });

  it('maps SSML into prompt content, reducing what VoiceXML does not allow to text', () => {
    const voice =
      '<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis">Hello<break time="300ms"/>' +
      '<emphasis level="strong">there</emphasis> <amazon:effect name="whispered">quietly</amazon:effect> ' +
      '<say-as interpret-as="digits">1234</say-as><break time="soon"/><p><s>One.</s><p>Nested.</p></p>' +
      '<prosody rate="fast" pitch="+5%">quick</prosody><sub>no alias</sub><audio src="beep.wav">beep</audio></speak>';
    const { root } = render([say('Hello there', voice), { type: 'end', outcome: 'resolved' }]);
    const prompt = one(root, 'prompt');
    expect(prompt.textContent?.replace(/\s+/g, ' ')).toContain('there quietly 1234');
    expect(all(prompt, 'break').map((b) => b.getAttribute('time'))).toEqual(['300ms', null]);
    expect(one(prompt, 'emphasis').getAttribute('level')).toBe('strong');
    expect(one(prompt, 'say-as').getAttribute('interpret-as')).toBe('digits');
    expect(all(prompt, 'p')).toHaveLength(1);
    expect(one(prompt, 'prosody').getAttribute('rate')).toBe('fast');
    expect(all(prompt, 'sub')).toHaveLength(0);
    expect(prompt.textContent).toContain('no alias');
    expect(one(prompt, 'audio').getAttribute('src')).toBe('beep.wav');
  });

  it('speaks the plain text when the SSML is not well-formed', () => {
    const { root } = render([say('Plain words', '<speak>Broken <break></speak>'), { type: 'hangup' }]);
    expect(one(root, 'prompt').textContent).toBe('Plain words');
  });
});

describe('renderVxml: input collection', () => {
  it('uses the transcription grammar when the bot transcribes, with any engine URI', () => {
    const a = render([say('How can I help?'), askFor({ kind: 'intent' })]);
    expect(all(a.root, 'grammar').map((g) => g.getAttribute('src'))).toEqual(['builtin:speech/transcribe']);
    const b = render([say('How can I help?'), askFor({ kind: 'intent' })], {
      settings: ivrSettings({ transcriptionEngine: 'https://asr.example/unimrcp?lang=en-US' }),
    });
    expect(one(b.root, 'grammar').getAttribute('src')).toBe('https://asr.example/unimrcp?lang=en-US');
  });

  it('generates keypad and voice built-ins from the expected entity when the bot does not transcribe', () => {
    const settings = ivrSettings({ transcription: false });
    const pin = render([say('Your PIN?'), askFor({ kind: 'entity', entity: entity({ type: 'digits', minLength: 4, maxLength: 4 }) })], { settings });
    expect(all(pin.root, 'grammar').map((g) => g.getAttribute('src'))).toEqual(['builtin:voice/digits?length=4', 'builtin:dtmf/digits?length=4']);
    const account = render([say('Account number?'), askFor({ kind: 'entity', entity: entity({ type: 'digits', minLength: 6, maxLength: 10 }) })], { settings });
    expect(all(account.root, 'grammar').map((g) => g.getAttribute('src'))).toContain('builtin:dtmf/digits?minlength=6;maxlength=10');
    const amount = render([say('How much?'), askFor({ kind: 'entity', entity: entity({ type: 'number', max: 5000 }) })], { settings });
    expect(all(amount.root, 'grammar').map((g) => g.getAttribute('src'))).toEqual(['builtin:voice/number', 'builtin:dtmf/digits?minlength=1;maxlength=4']);
    const confirm = render([say('Is that right?'), askFor({ kind: 'confirm' })], { settings });
    expect(all(confirm.root, 'grammar').map((g) => g.getAttribute('src'))).toEqual(['builtin:voice/boolean', 'builtin:dtmf/boolean']);
  });

  it('offers list values as numbered keys (the engine reads keys as the position), and spoken synonyms with the value as result', () => {
    const accounts = entity({ type: 'list', values: [{ value: 'checking', synonyms: ['current account'] }, { value: 'savings', synonyms: [] }] });
    const { root } = render([say('Checking or savings?'), askFor({ kind: 'entity', entity: accounts })], { settings: ivrSettings({ transcription: false }) });
    const [voice, keys] = all(root, 'grammar');
    expect(voice?.getAttribute('mode')).toBe('voice');
    expect(all(voice as Element, 'item').map((i) => i.textContent?.trim())).toContain('current account');
    expect(keys?.getAttribute('mode')).toBe('dtmf');
    expect(keys?.getAttribute('tag-format')).toBe('semantics/1.0-literals');
    const items = all(keys as Element, 'item').map((i) => [i.firstChild?.nodeValue, i.getElementsByTagNameNS(VXML_NS, 'tag')[0]?.textContent]);
    expect(items).toEqual([
      ['1', '1'],
      ['2', '2'],
    ]);
  });

  it("listens to an open question's buttons and to the bot's intent grammar when the bot does not transcribe", () => {
    const settings = ivrSettings({ transcription: false });
    const intentGrammar = '/ivr/grammars/bank/AAAAAAAAAAAAAAAAAAAAAA.grxml';
    const question: Action = { type: 'say', prompt: { text: 'How can I help?', buttons: [{ title: 'Balance', value: 'what is my balance' }] } };
    const open = render([question, askFor({ kind: 'intent' })], { settings, intentGrammar });
    const [titles, intents, keys] = all(open.root, 'grammar');
    expect(all(titles as Element, 'item').map((i) => i.firstChild?.nodeValue).filter(Boolean)).toEqual(['Balance', 'what is my balance']);
    expect([intents?.getAttribute('src'), intents?.getAttribute('type'), intents?.getAttribute('mode')]).toEqual([intentGrammar, 'application/srgs+xml', 'voice']);
    expect(keys?.getAttribute('mode')).toBe('dtmf');
    // without buttons: the intent grammar alone, where the transcription grammar stood in before
    const menu = render([say('Anything else?'), askFor({ kind: 'intent' })], { settings, intentGrammar });
    expect(all(menu.root, 'grammar').map((g) => g.getAttribute('src'))).toEqual([intentGrammar]);
    // a question for an entity, or a bot that transcribes, does not use it
    const pin = render([say('Your PIN?'), askFor({ kind: 'entity', entity: entity({ type: 'digits', minLength: 4, maxLength: 4 }) })], { settings, intentGrammar });
    expect(all(pin.root, 'grammar').map((g) => g.getAttribute('src'))).toEqual(['builtin:voice/digits?length=4', 'builtin:dtmf/digits?length=4']);
    const transcribing = render([say('How can I help?'), askFor({ kind: 'intent' })], { intentGrammar });
    expect(all(transcribing.root, 'grammar').map((g) => g.getAttribute('src'))).toEqual(['builtin:speech/transcribe']);
  });

  it("offers the question's buttons as numbered keys giving the button's value", () => {
    const question: Action = {
      type: 'say',
      prompt: { text: 'How can I help?', buttons: [{ title: 'Balance', value: 'what is my balance' }, { title: 'Agent', value: 'talk to an agent' }] },
    };
    const { root } = render([question, askFor({ kind: 'intent' })]);
    const [speech, keys] = all(root, 'grammar');
    expect(speech?.getAttribute('src')).toBe('builtin:speech/transcribe');
    const items = all(keys as Element, 'item').map((i) => [i.firstChild?.nodeValue, i.getElementsByTagNameNS(VXML_NS, 'tag')[0]?.textContent]);
    expect(items).toEqual([
      ['1', 'what is my balance'],
      ['2', 'talk to an agent'],
    ]);
  });

  it("keeps the node's grammars: inline SRGS moved into the VoiceXML namespace with unique rule ids, ABNF, by URI", () => {
    const srgs = (word: string) =>
      `<grammar xmlns="http://www.w3.org/2001/06/grammar" version="1.0" root="main" mode="voice"><rule id="main" scope="public"><one-of><item>${word}</item><item><ruleref uri="#polite"/> ${word}</item></one-of></rule><rule id="polite"><item repeat="0-1">please</item></rule></grammar>`;
    const warnings: string[] = [];
    const ask = askFor(
      { kind: 'intent' },
      {
        grammars: [
          { mode: 'voice', inline: srgs('balance') },
          { mode: 'voice', inline: srgs('transfer') },
          { mode: 'voice', type: 'application/srgs', inline: '#ABNF 1.0; root $r; public $r = agent | operator;' },
          { mode: 'dtmf', src: 'https://ivr.example/grammars/menu.grxml', type: 'application/srgs+xml' },
          { mode: 'voice', inline: '<grammar><rule id="x"><bogus/></rule></grammar>' },
        ],
      },
    );
    const { root } = render([say('Main menu.'), ask], { onWarning: (m) => warnings.push(m) });
    const grammars = all(root, 'grammar');
    expect(grammars).toHaveLength(4);
    const ids = all(root, 'rule').map((r) => r.getAttribute('id'));
    expect(new Set(ids).size).toBe(4);
    expect(grammars[0]?.getAttribute('root')).toBe(ids[0]);
    expect(all(grammars[1] as Element, 'ruleref')[0]?.getAttribute('uri')).toBe(`#${ids[3]}`);
    expect(grammars[2]?.textContent).toContain('agent | operator');
    expect(grammars[3]?.getAttribute('src')).toBe('https://ivr.example/grammars/menu.grxml');
    expect(warnings.join()).toContain('bogus');
  });

  it('writes bot-level properties on the document and node overrides on the field, with units', () => {
    const settings = ivrSettings({ properties: { timeout: 5000, interdigittimeout: 3000, termchar: '#', confidencelevel: 50, bargein: true, inputmodes: 'dtmf voice', fetchtimeout: 1500 } });
    const ask = askFor({ kind: 'intent' }, { voice: { timeout: 8000, confidencelevel: 0.7, maxspeechtimeout: 300, bargein: true, speedvsaccuracy: 0.4 } });
    const { root } = render([say('Go on.'), ask], { settings });
    expect(props(root)).toEqual({ timeout: '5s', interdigittimeout: '3s', termchar: '#', confidencelevel: '0.5', bargein: 'true', inputmodes: 'dtmf voice', fetchtimeout: '1500ms' });
    expect(props(one(root, 'field'))).toEqual({ timeout: '8s', maxspeechtimeout: '300ms', confidencelevel: '0.7', speedvsaccuracy: '0.4' });
  });

  it('re-asks with the retry prompts, then submits the exhausted event to Parley', () => {
    const ask = askFor({ kind: 'intent' }, { retries: 2, noInput: [{ text: 'Are you there?' }], noMatch: [] });
    const { root } = render([say('Say something.'), ask]);
    const noinput = all(root, 'noinput');
    expect(noinput.map((n) => n.getAttribute('count'))).toEqual(['1', '2', '3']);
    expect(noinput[0]?.textContent).toBe('Are you there?');
    expect(noinput[1]?.textContent).toBe('Are you there?');
    expect(one(noinput[2] as Element, 'assign').getAttribute('expr')).toBe("'noinput'");
    expect(one(noinput[2] as Element, 'submit').getAttribute('namelist')).toBe('parley_event');
    const nomatch = all(root, 'nomatch');
    expect(all(nomatch[0] as Element, 'reprompt')).toHaveLength(1);
    expect(one(nomatch[2] as Element, 'assign').getAttribute('expr')).toBe("'nomatch'");
    const none = render([say('Once only.'), askFor({ kind: 'intent' }, { retries: 0 })]);
    expect(all(none.root, 'noinput').map((n) => n.getAttribute('count'))).toEqual(['1']);
  });

  it("submits the caller's answer with confidence and input mode under the bot's keys", () => {
    const { root } = render([say('Tell me.'), askFor({ kind: 'intent' })], {
      settings: ivrSettings({ dataKey: 'caller_said', confidenceKey: 'caller_said.score' }),
      method: 'post',
    });
    expect(one(root, 'field').getAttribute('name')).toBe('caller_said');
    const filled = one(root, 'filled');
    expect(all(filled, 'assign').map((a) => [a.getAttribute('name'), a.getAttribute('expr')])).toEqual([
      ['caller_said_score', 'caller_said$.confidence'],
      ['caller_said_inputmode', 'caller_said$.inputmode'],
    ]);
    const submit = one(filled, 'submit');
    expect(submit.getAttribute('next')).toBe(submitUrl);
    expect(submit.getAttribute('method')).toBe('post');
    expect(submit.getAttribute('namelist')).toBe('caller_said caller_said_score caller_said_inputmode');
  });

  it('catches the hang-up and errors: tells Parley once, then returns', () => {
    const { root } = render([say('Hm?'), askFor({ kind: 'intent' })]);
    const [hangup, error] = all(root, 'catch');
    expect(hangup?.getAttribute('event')).toBe('connection.disconnect.hangup');
    expect(one(hangup as Element, 'data').getAttribute('src')).toBe(submitUrl);
    expect(all(hangup as Element, 'return')).toHaveLength(1);
    expect(error?.getAttribute('event')).toBe('error');
    expect(one(error as Element, 'data').getAttribute('namelist')).toBe('parley_event parley_error');
  });
});

describe('renderVxml: handing control back', () => {
  function returned(root: Element): Record<string, string> {
    const vars: Record<string, string> = {};
    for (let c = root.firstChild; c; c = c.nextSibling) {
      const e = c as Element;
      if (e.localName === 'var') vars[e.getAttribute('name') ?? ''] = e.getAttribute('expr') ?? '';
    }
    const names = one(one(root, 'form'), 'return').getAttribute('namelist')?.split(' ') ?? [];
    return Object.fromEntries(names.map((n) => [n, vars[n] ?? '(undeclared)']));
  }

  it('ends the conversation: endOfConversation true, intent and entities as JSON', () => {
    const { root } = render([say('Goodbye.'), { type: 'end', outcome: 'resolved' }], {
      conversation: { intent: 'balance', entities: { account: "o'brien" }, historyKey: 'h-1' },
    });
    const r = returned(root);
    expect(r.endOfConversation).toBe('true');
    expect(r.outcome).toBe("'resolved'");
    expect(r.intent).toBe("'balance'");
    expect(r.entities).toBe(String.raw`'{"account":"o\u0027brien"}'`);
    expect(r.transfer).toBe('false');
    expect(r.historyKey).toBe("'h-1'");
    expect(one(root, 'prompt').textContent).toBe('Goodbye.');
  });

  it('escalates: endOfConversation false, transfer to the queue with the context, sensitive values masked', () => {
    const context = escalationContext({ intent: 'dispute', entities: { amount: 120, pin: '4321' }, message: 'Card charged twice', reason: 'requested', transferInfo: { genesys: { skill: 'cards' } } });
    const { xml, root } = render([say('Connecting you to an agent.'), { type: 'escalate', queue: 'cards', context }], { conversation: { historyKey: 'h-2', sensitive: ['pin'] } });
    expect(xml).not.toContain('4321');
    const r = returned(root);
    expect(r.endOfConversation).toBe('false');
    expect(r.transfer).toBe('true');
    expect(r.transferQueue).toBe("'cards'");
    expect(r.outcome).toBe("'escalated'");
    expect(r.intent).toBe("'dispute'");
    expect(JSON.parse(r.transferContext?.slice(1, -1) ?? '')).toEqual({
      reason: 'requested',
      message: 'Card charged twice',
      intent: 'dispute',
      entities: { amount: 120, pin: '****' },
      variables: {},
      transferInfo: { genesys: { skill: 'cards' } },
    });
  });

  it('transfers to an external target, and marks a hang-up the bot asked for', () => {
    const t = returned(render([{ type: 'transfer', target: 'sip:billing@pbx.example', context: escalationContext() }]).root);
    expect(t.transferTarget).toBe("'sip:billing@pbx.example'");
    expect(t.transferQueue).toBe("''");
    const h = returned(render([say('Bye.'), { type: 'hangup' }]).root);
    expect(h.hangup).toBe('true');
    expect(h.endOfConversation).toBe('true');
  });

  it('follows the configured return variable names and refuses invalid ones', () => {
    const r = returned(render([{ type: 'end', outcome: 'abandoned' }], { returnNames: { endOfConversation: 'eoc', entities: 'slots' } }).root);
    expect(Object.keys(r)).toContain('eoc');
    expect(Object.keys(r)).toContain('slots');
    expect(() => renderVxml([{ type: 'end', outcome: 'resolved' }], { settings: ivrSettings(), submitUrl, returnNames: { intent: 'my.intent' } })).toThrow(/not a valid VoiceXML variable/);
  });

  it('asks again when an escalation is followed by an ask (no agent available)', () => {
    const { root } = render([
      { type: 'escalate', queue: 'cards', context: escalationContext() },
      say('No agent is free. Anything else?'),
      askFor({ kind: 'intent' }),
    ]);
    expect(all(root, 'field')).toHaveLength(1);
    expect(all(one(root, 'form'), 'return')).toHaveLength(0);
  });

  it('asks Parley to continue when a step ends without a question or an end', () => {
    const { root } = render([say('One moment please.'), { type: 'callService', requestId: 'r1', request: { method: 'GET', url: 'https://api.example', headers: {}, timeoutMs: 3000 } }]);
    const block = one(root, 'block');
    expect(one(block, 'assign').getAttribute('expr')).toBe("'continue'");
    expect(one(block, 'submit').getAttribute('next')).toBe(submitUrl);
  });

  it('renders a failure document that hands control back with the error', () => {
    const xml = renderVxmlFailure({ settings: ivrSettings(), submitUrl, error: 'error.parley.unauthorized', prompt: { text: 'Sorry, something went wrong.' } });
    rendered.push(xml);
    const root = parseXml(xml).documentElement as Element;
    const r = returned(root);
    expect(r.endOfConversation).toBe('false');
    expect(r.error).toBe("'error.parley.unauthorized'");
  });
});
