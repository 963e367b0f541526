/**
 * A call joined to a conversation, with the real dialog engine, conversation service and SQLite storage,
 * the demo bank bot, and a fake leg and media (test/sip-call/fake-call.ts). Understanding is an exact-phrase
 * NLU, so what is tested is the call layer: questions, timers, hang-ups, hand-offs, errors, the sandbox.
 */
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBotFolder } from '../../bot/load.ts';
import type { Bot } from '../../core/bot.ts';
import { BotRegistry } from '../../runtime/bot-registry.ts';
import { ConversationService } from '../../runtime/conversation-service.ts';
import { channelHandoff } from '../../runtime/handoff.ts';
import { createHttpServiceCaller } from '../../runtime/service-caller.ts';
import type { SttResult } from '../../speech/stt-port.ts';
import { TtsCache } from '../../speech/tts-cache.ts';
import { openStorage } from '../../storage/open-storage.ts';
import type { Storage } from '../../storage/port.ts';
import { systemClock } from '../../voice/clock.ts';
import { exactPhraseNlu } from '../../../test/support/exact-phrase-nlu.ts';
import { FakeLeg, FakeMedia, instantTts, scriptedStt, type ReferScript } from '../../../test/sip-call/fake-call.ts';
import { CallSession, type CallRoute, type CallServices } from './call-session.ts';
import { SandboxLine } from './sandbox-line.ts';
import type { SipSessionValues } from './session-values.ts';

let storage: Storage;
let bots: BotRegistry;
let service: ConversationService;

beforeAll(async () => {
  const bank: Bot = await loadBotFolder(fileURLToPath(new URL('../../../examples/bank', import.meta.url)));
  // Short timers, so that no-input happens in test time.
  bank.settings.ivr.properties = { ...bank.settings.ivr.properties, timeout: 300, interdigittimeout: 300 };
  bots = new BotRegistry(exactPhraseNlu);
  await bots.add(bank);
  storage = await openStorage({ url: 'sqlite::memory:' });
  service = new ConversationService({ bots, storage, services: createHttpServiceCaller({ baseUrl: () => 'http://127.0.0.1:9' }), handoff: channelHandoff, logger: pino({ level: 'silent' }) });
}, 60_000);

afterAll(async () => {
  await storage.close();
});

const values: SipSessionValues = {
  from: '+15550100',
  to: 'bank',
  sip: { callId: 'fake-call-1', requestUri: 'sip:bank@127.0.0.1', fromUri: 'sip:+15550100@127.0.0.1', toUri: 'sip:bank@127.0.0.1', headers: { 'X-ContactID': '98765' } },
};

interface Call {
  leg: FakeLeg;
  media: FakeMedia;
  session: CallSession;
  tts: ReturnType<typeof instantTts>;
  done: Promise<void>;
  changes: Array<Record<string, unknown>>;
  /** Says something: voice activity around audio, the recogniser answers with the next scripted result. */
  say(): void;
  conversationId(): Promise<string>;
  turns(): Promise<Array<{ speaker: string; text: string }>>;
  waitFor(what: string, test: (turns: Array<{ speaker: string; text: string }>) => boolean): Promise<void>;
}

function call(options: { heard?: Array<SttResult | Error>; refer?: ReferScript[]; route?: CallRoute; deps?: Partial<CallServices>; playMs?: number; ttsFailOn?: RegExp } = {}): Call {
  const leg = new FakeLeg(options.refer);
  const media = new FakeMedia(options.playMs);
  const tts = instantTts(options.ttsFailOn ? { failOn: options.ttsFailOn } : {});
  const changes: Array<Record<string, unknown>> = [];
  const deps: CallServices = { service, bots, tts: new TtsCache({ provider: tts }), stt: scriptedStt(options.heard ?? []), clock: systemClock, logger: pino({ level: 'silent' }), transferTarget: 'sip:agents@pbx.test', ...options.deps };
  const session = new CallSession(leg, media, options.route ?? { kind: 'bot', botId: 'bank' }, values, deps, (c) => changes.push(c));
  const done = session.run();
  const conversationId = async (): Promise<string> => {
    for (let i = 0; i < 200; i++) {
      const id = changes.find((c) => c.conversationId)?.conversationId;
      if (typeof id === 'string') return id;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('no conversation started');
  };
  const turns = async () => (await storage.conversations.turns(await conversationId())).map((t) => ({ speaker: t.speaker, text: t.text }));
  return {
    leg,
    media,
    session,
    tts,
    done,
    changes,
    conversationId,
    turns,
    say() {
      session.onSpeech({ type: 'speech-start', atMs: 0 });
      media.audio(10, 2000);
      session.onSpeech({ type: 'speech-stop', atMs: 200 });
    },
    async waitFor(what, test) {
      for (let i = 0; i < 300; i++) {
        if (test(await turns()) && !media.playing) {
          await new Promise((r) => setTimeout(r, 30));
          return;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(await turns())}`);
    },
  };
}

const botSaid = (text: string) => (turns: Array<{ speaker: string; text: string }>) => turns.some((t) => t.speaker === 'bot' && t.text.includes(text));

describe('a call to the bank bot', () => {
  it('takes speech and keys, and the caller hanging up ends the conversation with its transcript', async () => {
    const c = call({ heard: [{ text: 'check my balance', confidence: 0.9 }] });
    await c.waitFor('the greeting', botSaid('Welcome to Acme Bank'));
    c.say();
    await c.waitFor('the account question', botSaid('8-digit account number'));
    c.media.keys('12345678#');
    await c.waitFor('the PIN question', botSaid('4-digit PIN'));
    c.leg.hangUp();
    await c.done;
    const conversation = await storage.conversations.get(await c.conversationId());
    expect(conversation).toMatchObject({ status: 'ended', outcome: 'abandoned', channel: 'voice', customer: '+15550100' });
    expect((conversation!.state.vars.session as Record<string, any>).sip.headers).toEqual({ 'X-ContactID': '98765' });
    const said = (await c.turns()).filter((t) => t.speaker !== 'bot');
    // The hang-up came at the PIN question; an event holds no customer words, so it is kept as it is.
    expect(said).toEqual([
      { speaker: 'customer', text: 'check my balance' },
      { speaker: 'customer', text: '12345678' },
      { speaker: 'system', text: '[hangup]' },
    ]);
    expect(c.media.closed).toBe(true);
    expect(c.leg.byes).toBe(0);
  });

  it('treats speech heard with less confidence than the bot asks as not understood', async () => {
    const c = call({ heard: [{ text: 'check my balance', confidence: 0.3 }] });
    await c.waitFor('the greeting', botSaid('Welcome'));
    c.say();
    await c.waitFor('not understood', botSaid("Sorry, I didn't catch that"));
    c.leg.hangUp();
    await c.done;
  });

  it('re-prompts when the caller says nothing, then hangs up itself when the bot says goodbye', async () => {
    const c = call({ heard: [{ text: 'check my balance', confidence: 0.9 }, { text: 'goodbye', confidence: 0.9 }] });
    await c.waitFor('the greeting', botSaid('Welcome'));
    c.say();
    await c.waitFor('the account question', botSaid('8-digit account number'));
    await c.waitFor('the no-input re-prompt', botSaid("I didn't hear anything"));
    c.say();
    await c.done;
    expect(c.leg.byes).toBe(1);
    const conversation = await storage.conversations.get(await c.conversationId());
    expect(conversation?.status).toBe('ended');
    expect(await c.turns()).toContainEqual({ speaker: 'system', text: '[noInput]' });
  });

  it('ignores keys pressed during a prompt that cannot be interrupted (the PIN question)', async () => {
    const c = call({ heard: [{ text: 'check my balance', confidence: 0.9 }], playMs: 150 });
    await c.waitFor('the greeting', botSaid('Welcome'));
    c.say();
    await c.waitFor('the account question', botSaid('8-digit account number'));
    c.media.keys('12345678#');
    await c.waitFor('the PIN question', (t) => botSaid('4-digit PIN')(t));
    // The PIN prompt is being played again after a no-input; keys now are dropped and do not cut it.
    await new Promise((r) => setTimeout(r, 350));
    const before = c.media.interruptions;
    expect(c.media.playing).toBe(true);
    c.media.keys('1234');
    expect(c.media.interruptions).toBe(before);
    c.leg.hangUp();
    await c.done;
    expect((await c.turns()).filter((t) => t.speaker === 'customer').map((t) => t.text)).toEqual(['check my balance', '12345678']);
  });
});

describe('hand-offs and failures on a call', () => {
  it('transfers a caller who asks for an agent by REFER with the history key and User-to-User, then leaves the call', async () => {
    const c = call({ heard: [{ text: 'talk to an agent', confidence: 0.9 }] });
    await c.waitFor('the greeting', botSaid('Welcome'));
    c.say();
    await c.done;
    const conversation = (await storage.conversations.get(await c.conversationId()))!;
    expect(c.leg.refers).toHaveLength(1);
    expect(c.leg.refers[0]!.target).toBe(`sip:agents@pbx.test?X-Session-History-Key=${conversation.historyKey}&User-to-User=${encodeURIComponent(c.leg.refers[0]!.headers['User-to-User']!)}`);
    expect(c.leg.refers[0]!.headers['X-Session-History-Key']).toBe(conversation.historyKey);
    expect(c.leg.refers[0]!.headers['User-to-User']).toMatch(/^04[0-9A-F]+;encoding=hex;purpose=isdn-interwork;content=isdn-uui$/);
    expect(c.leg.byes).toBe(1);
    expect(conversation).toMatchObject({ status: 'ended', outcome: 'escalated' });
    expect(c.changes).toContainEqual({ transfer: { target: 'sip:agents@pbx.test', result: 'ok 200' } });
  });

  it('a refused transfer plays agent_unavailable and tries the fallback target', async () => {
    const c = call({ heard: [{ text: 'talk to an agent', confidence: 0.9 }], refer: ['rejected', 'success'], deps: { fallbackTarget: 'sip:fallback@pbx.test' } });
    await c.waitFor('the greeting', botSaid('Welcome'));
    c.say();
    await c.done;
    expect(c.leg.refers.map((r) => r.target.split('?')[0])).toEqual(['sip:agents@pbx.test', 'sip:fallback@pbx.test']);
    expect(c.tts.rendered).toContain(bots.get('bank').bot.responses.agentUnavailable.text);
  });

  it('a failed transfer with no fallback goes back to the bot, which goes on listening', async () => {
    const c = call({ heard: [{ text: 'talk to an agent', confidence: 0.9 }, { text: 'check my balance', confidence: 0.9 }], refer: ['failed'] });
    await c.waitFor('the greeting', botSaid('Welcome'));
    c.say();
    await c.waitFor('the transfer', () => c.leg.refers.length === 1);
    for (let i = 0; i < 100 && !c.changes.some((x) => x.state === 'active'); i++) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 50));
    c.say();
    await c.waitFor('the account question', botSaid('8-digit account number'));
    const conversation = (await storage.conversations.get(await c.conversationId()))!;
    expect(conversation.status).toBe('active');
    expect(conversation.state.vars.session).toMatchObject({ transferFailed: true });
    c.leg.hangUp();
    await c.done;
  });

  it('a failing recogniser takes the bot to its error path (here: a colleague), never to silence', async () => {
    const c = call({ heard: [new Error('recogniser crashed')] });
    await c.waitFor('the greeting', botSaid('Welcome'));
    c.say();
    await c.done;
    expect(await c.turns()).toContainEqual({ speaker: 'system', text: '[error]' });
    expect(await c.turns()).toContainEqual({ speaker: 'bot', text: 'Let me pass you to a colleague who can help.' });
    expect(c.leg.refers).toHaveLength(1);
  });

  it('an internal error says the error message and transfers to the fallback target', async () => {
    const broken = { ...service, start: service.start.bind(service), transferToBot: service.transferToBot.bind(service), send: () => Promise.reject(new Error('database gone')) };
    const c = call({ heard: [{ text: 'check my balance', confidence: 0.9 }], deps: { service: broken, fallbackTarget: 'sip:fallback@pbx.test' } });
    await c.waitFor('the greeting', botSaid('Welcome'));
    c.say();
    await c.done;
    expect(c.tts.rendered).toContain(bots.get('bank').bot.responses.error.text);
    expect(c.leg.refers.map((r) => r.target.split('?')[0])).toEqual(['sip:fallback@pbx.test']);
    expect(c.session.endReason).toBe('transferred');
  });

  it('a prompt that cannot be rendered takes the error path too', async () => {
    const c = call({ heard: [{ text: 'check my balance', confidence: 0.9 }], ttsFailOn: /account number/ });
    await c.waitFor('the greeting', botSaid('Welcome'));
    c.say();
    await c.done;
    expect(await c.turns()).toContainEqual({ speaker: 'system', text: '[error]' });
    expect(c.leg.refers).toHaveLength(1);
  });
});

describe('bridging when the caller cannot be transferred', () => {
  function dialer() {
    const agent = { media: new FakeMedia(), hungUp: false, end: () => undefined as void, dialed: [] as Array<{ target: string; headers: Record<string, string> }> };
    const ended = new Promise<void>((resolve) => (agent.end = resolve));
    const dial = (target: string, headers: Record<string, string>) => {
      agent.dialed.push({ target, headers });
      return Promise.resolve({
        media: agent.media,
        ended,
        hangUp: () => {
          agent.hungUp = true;
          agent.end();
          return Promise.resolve();
        },
      });
    };
    return { agent, dial };
  }

  it('calls the agent itself when the REFER is not supported (405), and joins both calls until the agent hangs up', async () => {
    const { agent, dial } = dialer();
    const c = call({ heard: [{ text: 'talk to an agent', confidence: 0.9 }], refer: ['unsupported'], deps: { dial } });
    await c.waitFor('the greeting', botSaid('Welcome'));
    c.say();
    for (let i = 0; i < 200 && !c.changes.some((x) => (x.transfer as { result?: string } | undefined)?.result === 'bridged'); i++) await new Promise((r) => setTimeout(r, 10));
    const conversation = (await storage.conversations.get(await c.conversationId()))!;
    expect(agent.dialed).toEqual([{ target: 'sip:agents@pbx.test', headers: expect.objectContaining({ 'X-Session-History-Key': conversation.historyKey }) }]);
    // The agent speaks: the caller hears it, and talking over it does not cut it.
    const before = c.media.played.length;
    agent.media.audio(3, 1500);
    expect(c.media.played.slice(before)).toEqual([
      { samples: 160, bargein: false },
      { samples: 160, bargein: false },
      { samples: 160, bargein: false },
    ]);
    // The caller keys: the agent gets the keys.
    c.media.keys('42');
    expect(agent.media.keysSent).toEqual(['4', '2']);
    agent.end();
    await c.done;
    expect(c.leg.byes).toBe(1);
    expect(c.session.endReason).toBe('bridged, agent-hangup');
    expect(agent.media.closed).toBe(true);
    expect((await storage.conversations.get(conversation.id))?.outcome).toBe('escalated');
  });

  it('bridges without trying REFER when the caller does not list it, and hangs up the agent when the caller leaves', async () => {
    const { agent, dial } = dialer();
    const c = call({ heard: [{ text: 'talk to an agent', confidence: 0.9 }], deps: { dial, referSupported: false } });
    await c.waitFor('the greeting', botSaid('Welcome'));
    c.say();
    for (let i = 0; i < 200 && agent.dialed.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 20));
    c.leg.hangUp();
    await c.done;
    expect(c.leg.refers).toEqual([]);
    expect(agent.hungUp).toBe(true);
    expect(c.session.endReason).toBe('bridged, caller-hangup');
  });
});

describe('the sandbox line', () => {
  const line = new SandboxLine({ number: 'sandbox', maxCalls: 1, secret: 's3cret', botIds: () => ['bank'] });

  it('reaches the bot whose PIN the caller keys, after a wrong one', async () => {
    const c = call({ route: { kind: 'sandbox', line } });
    await new Promise((r) => setTimeout(r, 100));
    c.media.keys('000000#');
    for (let i = 0; i < 100 && !c.tts.rendered.includes('That PIN does not match a bot.'); i++) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 100));
    c.media.keys(`${line.pinFor('bank')}#`);
    await c.waitFor('the greeting', botSaid('Welcome'));
    const conversation = (await storage.conversations.get(await c.conversationId()))!;
    expect(conversation.state.vars.session).toMatchObject({ sandbox: true });
    c.leg.hangUp();
    await c.done;
  });

  it('gives PINs of six digits, stable for a bot and secret, and a limited number of lines', () => {
    expect(line.pinFor('bank')).toMatch(/^\d{6}$/);
    expect(new SandboxLine({ number: 's', maxCalls: 1, secret: 's3cret', botIds: () => [] }).pinFor('bank')).toBe(line.pinFor('bank'));
    expect(new SandboxLine({ number: 's', maxCalls: 1, secret: 'other', botIds: () => [] }).pinFor('bank')).not.toBe(line.pinFor('bank'));
    expect(line.enter()).toBe(true);
    expect(line.enter()).toBe(false);
    line.leave();
    expect(line.enter()).toBe(true);
    line.leave();
  });
});
