/**
 * The IVR webhook and the IVR API through the real HTTP application (`buildApp`, `inject`): tokens, channel
 * switch, session references, VoiceXML browser bodies, events; the conversation runtime and SQLite are real,
 * the NLU matches exact phrases. Every document received is validated against the W3C schema.
 */
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadBotFolder } from '../../../../bot/load.ts';
import { createIvrAppStore } from '../../../../channels/voicexml/apps/ivr-app-store.ts';
import { IvrApps } from '../../../../channels/voicexml/apps/ivr-apps.ts';
import { mintIvrToken } from '../../../../channels/voicexml/apps/ivr-token.ts';
import { createSessionRefs } from '../../../../channels/voicexml/apps/session-ref.ts';
import { intentGrammar } from '../../../../channels/voicexml/intent-grammar.ts';
import type { Bot } from '../../../../core/bot.ts';
import { BotRegistry } from '../../../../runtime/bot-registry.ts';
import { ConversationService } from '../../../../runtime/conversation-service.ts';
import { channelHandoff } from '../../../../runtime/handoff.ts';
import { createHttpServiceCaller } from '../../../../runtime/service-caller.ts';
import { openStorage } from '../../../../storage/open-storage.ts';
import type { Storage } from '../../../../storage/port.ts';
import { ParleyError } from '../../../../errors.ts';
import { exactPhraseNlu } from '../../../../../test/support/exact-phrase-nlu.ts';
import { expectValidVxml } from '../../../../../test/support/vxml-validate.ts';
import { buildApp } from '../../app.ts';
import { ivrHookRoutes } from './ivr-hook-route.ts';

const apiKey = 'route-test-key';
const bankDir = fileURLToPath(new URL('../../../../../examples/bank', import.meta.url));
let app: FastifyInstance;
let storage: Storage;
let apps: IvrApps;
let bankBot: Bot;
const received: string[] = [];
const creds: Record<string, { clientId: string; clientSecret: string }> = {};

beforeAll(async () => {
  const loaded = await loadBotFolder(bankDir);
  const bank: Bot = { ...loaded, settings: { ...loaded.settings, ivr: { ...loaded.settings.ivr, transcription: true } } };
  bankBot = bank;
  const bots = new BotRegistry(exactPhraseNlu);
  await bots.add(bank);
  await bots.add({ ...bank, id: 'bank2' });
  await bots.add({ ...bank, id: 'quiet', settings: { ...bank.settings, ivr: { ...bank.settings.ivr, enabled: false } } });
  storage = await openStorage({ url: 'sqlite::memory:' });
  const logger = pino({ level: 'silent' });
  const service = new ConversationService({ bots, storage, services: createHttpServiceCaller({ baseUrl: () => 'http://127.0.0.1:9' }), handoff: channelHandoff, logger });
  const key = Buffer.alloc(32, 5);
  apps = new IvrApps(createIvrAppStore(storage), key, { cacheMs: 0 });
  app = await buildApp({ bots, service, storage, apiKey, logger, demo: false, ivr: { apps, sessions: createSessionRefs(key) } });
  for (const bot of ['bank', 'bank2', 'quiet']) creds[bot] = await apps.create(bot);
}, 60_000);

afterAll(async () => {
  await app.close();
  await storage.close();
});

afterEach(async () => {
  await expectValidVxml(...received.splice(0));
});

type Body = { form?: Record<string, string>; multipart?: Record<string, string> };

async function hook(path: string, body: Body = {}, method: 'GET' | 'POST' = 'POST'): Promise<LightMyRequestResponse> {
  let payload: string | undefined;
  const headers: Record<string, string> = {};
  if (body.form) {
    payload = new URLSearchParams(body.form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  } else if (body.multipart) {
    const b = '----parleyTest7MA4YWxk';
    payload = Object.entries(body.multipart).map(([k, v]) => `--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join('') + `--${b}--\r\n`;
    headers['content-type'] = `multipart/form-data; boundary=${b}`;
  }
  const res = await app.inject({ method, url: path, headers, ...(payload !== undefined ? { payload } : {}) });
  expect(res.headers['content-type']).toBe('application/voicexml+xml; charset=utf-8');
  received.push(res.body);
  return res;
}

function submitUrl(vxml: string): string {
  const m = /<submit next="([^"]+)"/.exec(vxml);
  if (!m?.[1]) throw new Error(`no submit in ${vxml}`);
  return m[1].replaceAll('&amp;', '&');
}

function returned(vxml: string, name: string): string | undefined {
  return new RegExp(`<var name="${name}" expr="'([^']*)'"/>`).exec(vxml)?.[1];
}

async function tokenFor(bot: string, extra: { ttlMs?: number; now?: Date; secret?: string } = {}): Promise<string> {
  const c = creds[bot];
  if (!c) throw new Error(bot);
  return mintIvrToken({ clientId: c.clientId, secret: extra.secret ?? c.clientSecret, ttlMs: extra.ttlMs ?? 600_000, ...(extra.now ? { now: extra.now } : {}) });
}

async function conversationCount(): Promise<number> {
  return (await storage.conversations.list({ limit: 500 })).length;
}

const caller = { message: '', from: 'tel:+15550100', to: 'bank' };

describe('refusals of the IVR webhook', () => {
  it('answers 401 with a reason and a VoiceXML failure document, and starts no conversation', async () => {
    const before = await conversationCount();
    const cases: Array<[string, string, string]> = [
      ['/ivr/hooks/bank', 'missing', 'error.parley.token.missing'],
      ['/ivr/hooks/bank?token=garbage', 'malformed', 'error.parley.token.malformed'],
      [`/ivr/hooks/bank?token=${await tokenFor('bank', { secret: 'a-guessed-secret-0123456789abcdefghijk' })}`, 'bad signature', 'error.parley.token.badsignature'],
      [`/ivr/hooks/bank?token=${await tokenFor('bank', { ttlMs: 60_000, now: new Date(Date.now() - 3600_000) })}`, 'expired', 'error.parley.token.expired'],
      [`/ivr/hooks/bank?token=${await tokenFor('bank2')}`, "another bot's app", 'error.parley.token.otherbot'],
    ];
    for (const [path, what, error] of cases) {
      const res = await hook(path, { form: caller });
      expect(res.statusCode, what).toBe(401);
      expect(res.headers['www-authenticate'], what).toMatch(/^Bearer error="invalid_token"/);
      expect(res.headers['x-parley-reason'], what).toBeTruthy();
      expect(returned(res.body, 'error'), what).toBe(error);
      expect(res.body).toContain('<var name="endOfConversation" expr="false"/>');
    }
    expect(await conversationCount()).toBe(before);
  });

  it('answers 404 for an unknown bot, 403 for a disabled app or channel, and starts no conversation', async () => {
    const before = await conversationCount();
    const unknown = await hook(`/ivr/hooks/nobody?token=${await tokenFor('bank')}`, { form: caller });
    expect([unknown.statusCode, returned(unknown.body, 'error')]).toEqual([404, 'error.parley.nobot']);

    const quiet = await hook(`/ivr/hooks/quiet?token=${await tokenFor('quiet')}`, { form: caller });
    expect([quiet.statusCode, returned(quiet.body, 'error')]).toEqual([403, 'error.parley.channeldisabled']);

    const auth = { authorization: `Bearer ${apiKey}` };
    expect((await app.inject({ method: 'PUT', url: '/api/bots/bank2/ivr', headers: auth, payload: { enabled: false } })).json()).toMatchObject({ enabled: false, switchedOn: false });
    const off = await hook(`/ivr/hooks/bank2?token=${await tokenFor('bank2')}`, { form: caller });
    expect([off.statusCode, returned(off.body, 'error')]).toEqual([403, 'error.parley.channeldisabled']);
    await app.inject({ method: 'PUT', url: '/api/bots/bank2/ivr', headers: auth, payload: { enabled: true } });

    const spare = await apps.create('bank2');
    await apps.setEnabled('bank2', spare.clientId, false);
    const disabled = await hook(`/ivr/hooks/bank2?token=${await mintIvrToken({ clientId: spare.clientId, secret: spare.clientSecret, ttlMs: 60_000 })}`, { form: caller });
    expect([disabled.statusCode, returned(disabled.body, 'error')]).toEqual([403, 'error.parley.token.appdisabled']);
    expect(await conversationCount()).toBe(before);
  });
});

describe("a bot's intent grammar", () => {
  it('is served to anyone who has its path, but not for a bot whose IVR channel is off (in its file or switched off)', async () => {
    const version = intentGrammar(bankBot)?.version ?? '';
    const served = await app.inject({ method: 'GET', url: `/ivr/grammars/bank/${version}.grxml` });
    expect(served.statusCode).toBe(200);
    expect(served.body).toContain('<item>what are your opening hours</item>');
    // 'quiet' is the same bot with the channel off: same training data, same version
    expect((await app.inject({ method: 'GET', url: `/ivr/grammars/quiet/${version}.grxml` })).statusCode).toBe(404);
    await apps.setChannelEnabled('bank2', false);
    expect((await app.inject({ method: 'GET', url: `/ivr/grammars/bank2/${version}.grxml` })).statusCode).toBe(404);
    await apps.setChannelEnabled('bank2', true);
    expect((await app.inject({ method: 'GET', url: `/ivr/grammars/bank2/${version}.grxml` })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: `/ivr/grammars/bank/${version}.xml` })).statusCode).toBe(400);
  });
});

describe('a call through the IVR webhook', () => {
  it('starts on a form post with custom variables, and continues on the signed session reference', async () => {
    const token = await tokenFor('bank');
    const start = await hook(`/ivr/hooks/bank?token=${token}`, { form: { ...caller, accountType: 'gold', lang: 'en' } });
    expect(start.statusCode).toBe(200);
    expect(start.body).toContain('Welcome to Acme Bank.');
    const next = submitUrl(start.body);
    const url = new URL(next, 'http://ivr.example');
    expect(url.pathname).toBe('/ivr/hooks/bank');
    expect(url.searchParams.get('token')).toBe(token);
    const ref = url.searchParams.get('session') ?? '';
    const [conversation] = await storage.conversations.list({ botId: 'bank', limit: 1 });
    expect(conversation?.channel).toBe('ivr');
    expect(ref).not.toContain(conversation?.id ?? '?');
    expect(conversation?.state.vars.session.ivr).toEqual({ accountType: 'gold', lang: 'en' });

    // A multipart submit, as a browser with enctype="multipart/form-data" sends it.
    const answer = await hook(next, { multipart: { userinput: 'what are your opening hours', userinput_confidence: '0.9', userinput_inputmode: 'voice' } });
    expect(answer.statusCode).toBe(200);
    expect(answer.body).toContain('We are open Monday to Friday');
    // A GET submit carries the answer in the query string.
    const again = await hook(`${submitUrl(answer.body)}&userinput=${encodeURIComponent('talk to an agent')}&userinput_inputmode=voice`, {}, 'GET');
    expect(again.statusCode).toBe(200);
    expect(returned(again.body, 'transferQueue')).toBe('general');
    expect(returned(again.body, 'historyKey')).toBe(conversation?.historyKey);
    const turns = await storage.conversations.turns(conversation?.id ?? '');
    expect(turns.filter((t) => t.speaker === 'customer').map((t) => t.text)).toEqual(['what are your opening hours', 'talk to an agent']);
    expect(turns.every((t) => t.channel === 'ivr')).toBe(true);
  });

  it('refuses a forged session reference or one replayed onto another bot with 403, and runs no turn', async () => {
    const start = await hook(`/ivr/hooks/bank?token=${await tokenFor('bank')}`, { form: caller });
    const next = new URL(submitUrl(start.body), 'http://ivr.example');
    const [conversation] = await storage.conversations.list({ botId: 'bank', limit: 1 });
    const turnsBefore = conversation?.turnCount;

    const forged = new URL(next);
    forged.searchParams.set('session', conversation?.id ?? '');
    const r1 = await hook(`${forged.pathname}${forged.search}`, { form: { userinput: 'talk to an agent' } });
    expect([r1.statusCode, returned(r1.body, 'error')]).toEqual([403, 'error.parley.session.malformed']);

    const replay = new URL(next);
    replay.pathname = '/ivr/hooks/bank2';
    replay.searchParams.set('token', await tokenFor('bank2'));
    const r2 = await hook(`${replay.pathname}${replay.search}`, { form: { userinput: 'talk to an agent' } });
    expect([r2.statusCode, returned(r2.body, 'error')]).toEqual([403, 'error.parley.session.badsignature']);

    // The session reference does not stand in for the token.
    const noToken = new URL(next);
    noToken.searchParams.delete('token');
    expect((await hook(`${noToken.pathname}${noToken.search}`, { form: { userinput: 'talk to an agent' } })).statusCode).toBe(401);
    expect((await storage.conversations.get(conversation?.id ?? ''))?.turnCount).toBe(turnsBefore);
  });

  it("goes on with a call after the IVR's token has expired, on its session reference, but starts none with that token", async () => {
    const start = await hook(`/ivr/hooks/bank?token=${await tokenFor('bank', { ttlMs: 60_000 })}`, { form: caller });
    const next = new URL(submitUrl(start.body), 'http://ivr.example');
    const [conversation] = await storage.conversations.list({ botId: 'bank', limit: 1 });
    // The same app's token, past its exp (and the clock tolerance): what the IVR sends a few minutes into the call.
    const expired = await tokenFor('bank', { ttlMs: 60_000, now: new Date(Date.now() - 3600_000) });
    const withToken = (token: string, session = next.searchParams.get('session') ?? '') => `/ivr/hooks/bank?token=${token}&session=${encodeURIComponent(session)}`;

    const answer = await hook(withToken(expired), { form: { userinput: 'what are your opening hours', userinput_confidence: '0.9', userinput_inputmode: 'voice' } });
    expect(answer.statusCode).toBe(200);
    expect(answer.body).toContain('We are open Monday to Friday');
    const customerSaid = async () => (await storage.conversations.turns(conversation?.id ?? '')).filter((t) => t.speaker === 'customer').map((t) => t.text);
    expect(await customerSaid()).toEqual(['what are your opening hours']);
    const after = await storage.conversations.get(conversation?.id ?? '');

    // Only the expiry is waived: a forged or foreign token, or a forged reference, still runs no turn.
    const ref = new URL(submitUrl(answer.body), 'http://ivr.example').searchParams.get('session') ?? '';
    const forgedToken = await tokenFor('bank', { ttlMs: 60_000, now: new Date(Date.now() - 3600_000), secret: 'a-guessed-secret-0123456789abcdefghijk' });
    const bad = await hook(withToken(forgedToken, ref), { form: { userinput: 'talk to an agent' } });
    expect([bad.statusCode, returned(bad.body, 'error')]).toEqual([401, 'error.parley.token.badsignature']);
    const foreign = await hook(withToken(await tokenFor('bank2', { ttlMs: 60_000, now: new Date(Date.now() - 3600_000) }), ref), { form: { userinput: 'talk to an agent' } });
    expect([foreign.statusCode, returned(foreign.body, 'error')]).toEqual([401, 'error.parley.token.otherbot']);
    const forgedRef = await hook(withToken(expired, `${ref.slice(0, -4)}AAAA`), { form: { userinput: 'talk to an agent' } });
    expect([forgedRef.statusCode, returned(forgedRef.body, 'error')]).toEqual([403, 'error.parley.session.badsignature']);
    expect((await storage.conversations.get(conversation?.id ?? ''))?.turnCount).toBe(after?.turnCount);

    // An expired token starts nothing, even with a session parameter that opens no conversation.
    const before = await conversationCount();
    const fresh = await hook(withToken(expired, ''), { form: caller });
    expect([fresh.statusCode, returned(fresh.body, 'error')]).toEqual([401, 'error.parley.token.expired']);
    // Nor with a reference in the query that an empty one in the body overrides (the body's parameters win).
    const masked = await hook(withToken(expired, ref), { form: { ...caller, session: '' } });
    expect([masked.statusCode, returned(masked.body, 'error')]).toEqual([401, 'error.parley.token.expired']);
    expect(await conversationCount()).toBe(before);
  });

  it('ends the conversation as abandoned when the caller hangs up, keeping the transcript', async () => {
    const start = await hook(`/ivr/hooks/bank?token=${await tokenFor('bank')}`, { form: { ...caller, message: 'what is my balance' } });
    expect(start.body).toContain('account number');
    const hung = await hook(submitUrl(start.body), { form: { parley_event: 'hangup' } });
    expect(hung.statusCode).toBe(200);
    const [conversation] = await storage.conversations.list({ botId: 'bank', limit: 1 });
    expect(conversation).toMatchObject({ status: 'ended', outcome: 'abandoned' });
    const turns = await storage.conversations.turns(conversation?.id ?? '');
    expect(turns.map((t) => t.text)).toEqual(expect.arrayContaining(['what is my balance', '[hangup]']));
  });

  it("runs the bot's error path (its error dialog) on an IVR error event, then ends the conversation", async () => {
    const start = await hook(`/ivr/hooks/bank?token=${await tokenFor('bank')}`, { form: { ...caller, message: 'what is my balance' } });
    const res = await hook(submitUrl(start.body), { form: { parley_event: 'error', parley_error: 'error.badfetch.http.500' } });
    expect(res.statusCode).toBe(200);
    const [conversation] = await storage.conversations.list({ botId: 'bank', limit: 1 });
    expect(conversation?.status).toBe('ended');
    const turns = await storage.conversations.turns(conversation?.id ?? '');
    expect(turns.map((t) => t.text)).toEqual(expect.arrayContaining(['[error]', 'Let me pass you to a colleague who can help.', '[hangup]']));
  });
});

describe('a failure behind the webhook', () => {
  it('answers a VoiceXML failure document with the failure status, so the IVR can route the caller', async () => {
    const bank = await loadBotFolder(bankDir);
    const failing = Fastify({ logger: false });
    const key = Buffer.alloc(32, 5);
    await failing.register(
      ivrHookRoutes({
        botOf: (id) => (id === 'bank' ? bank : undefined),
        service: {
          start: () => Promise.reject(new ParleyError('PARLEY_ERR_STORAGE', 'create conversation: the database is unreachable')),
          send: () => Promise.reject(new Error('not reached')),
        },
        apps,
        sessions: createSessionRefs(key),
      }),
    );
    const res = await failing.inject({ method: 'POST', url: `/ivr/hooks/bank?token=${await tokenFor('bank')}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'from=tel%3A%2B15550100' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toBe('application/voicexml+xml; charset=utf-8');
    expect(returned(res.body, 'error')).toBe('error.parley.unavailable');
    expect(res.body).not.toContain('unreachable');
    received.push(res.body);
    await failing.close();
  });
});
