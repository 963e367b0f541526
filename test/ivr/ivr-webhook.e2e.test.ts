/**
 * The VoiceXML IVR channel end to end against a real Parley (demo bank bot, SQLite, HTTP): an app made and a
 * token minted with the `parley` command on the server's data folder, the IVR simulator as the calling IVR,
 * and plain HTTP requests shaped as a VoiceXML browser sends them. Every document received is validated
 * against the W3C VoiceXML 2.1 schema.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createIvrAppStore } from '../../src/channels/voicexml/apps/ivr-app-store.ts';
import { IvrApps } from '../../src/channels/voicexml/apps/ivr-apps.ts';
import { mintIvrToken } from '../../src/channels/voicexml/apps/ivr-token.ts';
import { resolveSecretKey } from '../../src/channels/voicexml/apps/secret-key.ts';
import { runIvrCall, type IvrCallResult } from '../../src/channels/voicexml/simulator/run-ivr-call.ts';
import type { RunningServer } from '../../src/apps/server/start.ts';
import { parleyCli } from '../support/parley-cli.ts';
import { api, startTestServer } from '../support/server.ts';
import { validateSrgsDocuments } from '../../src/channels/voicexml/validate.ts';
import { expectValidVxml } from '../support/vxml-validate.ts';

let server: RunningServer & { dataDir: string; dispose(): Promise<void> };
let call: ReturnType<typeof api>;
let clientId = '';
let token = '';
const received: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  call = api(server);
  // The calling IVR's own contact center takes the transfers of the general queue.
  const queue = await call('PUT', '/api/routing/queues/general', { name: 'General enquiries', priority: 0, connector: 'channel' });
  expect(queue.status).toBe(200);

  const created = await parleyCli(['ivr', 'app', 'create', 'bank', '--json', '--data', server.dataDir]);
  expect(created.code, created.stderr).toBe(0);
  const app = JSON.parse(created.stdout) as { clientId: string; clientSecret: string };
  expect(Object.keys(app)).toEqual(['clientId', 'clientSecret']);
  clientId = app.clientId;
  const minted = await parleyCli(['ivr', 'token', 'bank', '--app', clientId, '--ttl', '10m', '--data', server.dataDir]);
  expect(minted.code, minted.stderr).toBe(0);
  expect(minted.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
  token = minted.stdout.trim();
}, 120_000);

afterAll(async () => {
  await server?.dispose();
});

afterEach(async () => {
  const documents = received.splice(0);
  await expectValidVxml(...documents);
  // Plain VoiceXML 2.1 for any interpreter: every fetch names its method, only the VoiceXML namespace.
  for (const d of documents) {
    expect(d.match(/<(submit|data|subdialog)\b[^>]*>/g)?.filter((tag) => !/\bmethod="(get|post)"/.test(tag)) ?? []).toEqual([]);
    expect(d.match(/\bxmlns(:\w+)?="[^"]*"/g)?.filter((ns) => ns !== 'xmlns="http://www.w3.org/2001/vxml"') ?? []).toEqual([]);
  }
});

async function ivrCall(script: string[], params: Record<string, string> = {}): Promise<IvrCallResult> {
  const result = await runIvrCall({
    url: `${server.url}/ivr/hooks/bank?token=${token}`,
    params: { message: '', from: 'tel:+15550100', to: 'bank', ...params },
    script,
  });
  for (const d of result.documents) if (d.kind === 'document' && d.status === 200) received.push(d.body);
  return result;
}

async function conversationIds(): Promise<string[]> {
  const r = await call('GET', '/api/conversations?bot=bank&limit=500');
  return (r.body.conversations as Array<{ id: string }>).map((c) => c.id);
}

/** What these tests read of `GET /api/conversations/{id}`. */
interface StoredConversation {
  channel: string;
  status: string;
  outcome: string | null;
  customer: string | null;
  historyKey: string;
  variables: { session: Record<string, unknown> };
  turns: Array<{ speaker: string; text: string; channel: string }>;
}

async function latest(): Promise<StoredConversation> {
  const [id] = await conversationIds();
  return (await call('GET', `/api/conversations/${id ?? 'none'}`)).body as StoredConversation;
}

describe('a VoiceXML IVR calling the demo bank bot', () => {
  it('completes the balance path: every document valid, the return ends the conversation with what the bot learned', async () => {
    // After the balance the caller says nothing more: the bot re-asks, then says goodbye and ends.
    const r = await ivrCall(['what is my balance', 'dtmf:12345678', 'dtmf:4321', 'silence', 'silence', 'silence'], { accountType: 'gold' });
    expect(r.ending.kind).toBe('return');
    expect(r.prompts[0]).toContain('Welcome to Acme Bank.');
    expect(r.prompts.join(' ')).toMatch(/account number.*PIN.*Your available balance is/);
    expect(r.prompts.at(-1)).toBe('Thank you for banking with Acme. Goodbye!');
    expect(r.documents.filter((d) => d.kind === 'document').every((d) => d.status === 200)).toBe(true);
    const stored = await latest();
    expect(r.returned).toMatchObject({ endOfConversation: true, outcome: 'resolved', transfer: false, hangup: false, historyKey: stored.historyKey, error: '' });
    expect(JSON.parse(String(r.returned?.entities))).toEqual({ accountNumber: '12345678', pin: '****' });
    expect(r.returned?.intent).toBe('check_balance');

    expect(stored).toMatchObject({ channel: 'ivr', status: 'ended', outcome: 'resolved', customer: 'tel:+15550100' });
    expect(stored.variables.session).toMatchObject({ from: 'tel:+15550100', to: 'bank', ivr: { accountType: 'gold' } });
    const turns = stored.turns;
    expect(turns.every((t) => t.channel === 'ivr')).toBe(true);
    expect(turns.filter((t) => t.speaker === 'customer').map((t) => t.text)).toEqual(['what is my balance', '12345678', '****']);
    expect(JSON.stringify(turns)).not.toContain('4321');
  });

  it('completes the agent path: control goes back to the IVR with the transfer, its context and the history key', async () => {
    const r = await ivrCall(['talk to an agent']);
    const stored = await latest();
    expect(r.returned).toMatchObject({
      endOfConversation: false,
      outcome: 'escalated',
      intent: 'talk_to_agent',
      transfer: true,
      transferQueue: 'general',
      transferTarget: '',
      historyKey: stored.historyKey,
      hangup: false,
    });
    expect(JSON.parse(String(r.returned?.transferContext))).toMatchObject({
      reason: 'requested',
      message: 'The customer asked for an agent.',
      intent: 'talk_to_agent',
      transferInfo: { cxone: { customer: 'tel:+15550100' } },
    });
    expect(r.prompts.at(-1)).toContain("I'm transferring you to one of our agents now.");
    expect(stored).toMatchObject({ channel: 'ivr', status: 'escalated', outcome: 'escalated' });
  });

  it("lets the caller ask the welcome question for what no button offers, through the bot's intent grammar", async () => {
    // The demo bot does not transcribe: its open questions listen to the buttons' titles and to every phrase the
    // bot was trained on, served by Parley as an SRGS grammar. Words in neither are not recognised (the IVR says so
    // itself and Parley never hears them), as on a real IVR.
    const r = await ivrCall(['what are my opening hours', 'what are your opening hours', 'hangup']);
    expect(r.prompts[1]).toMatch(/^Sorry, I didn't catch that/);
    expect(r.prompts.join(' ')).toContain('We are open Monday to Friday, 8 am to 8 pm');
    const grammars = r.documents.filter((d) => d.kind === 'grammar');
    expect(grammars.length).toBeGreaterThan(0);
    expect(grammars.every((g) => g.status === 200 && /\/ivr\/grammars\/bank\/[\w-]{22}\.grxml$/.test(g.url))).toBe(true);
    const [srgs] = await validateSrgsDocuments([grammars[0]?.body ?? '']);
    expect(srgs?.errors).toEqual([]);
    const stored = await latest();
    expect(stored.turns.filter((t) => t.speaker === 'customer').map((t) => t.text)).toEqual(['what are your opening hours']);

    // The IVR may keep the grammar for ever: its path changes with the bot's training data.
    const grammar = await fetch(new URL(grammars[0]?.url ?? '', server.url));
    expect(grammar.headers.get('content-type')).toBe('application/srgs+xml; charset=utf-8');
    expect(grammar.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const again = await fetch(new URL(grammars[0]?.url ?? '', server.url), { headers: { 'if-none-match': grammar.headers.get('etag') ?? '' } });
    expect(again.status).toBe(304);
    expect((await fetch(new URL(`/ivr/grammars/bank/${'A'.repeat(22)}.grxml`, server.url))).status).toBe(404);
    expect((await fetch(new URL(String(grammars[0]?.url).replace('/bank/', '/nobot/'), server.url))).status).toBe(404);
  });

  it('records a hang-up: the conversation ends as abandoned with its transcript', async () => {
    const r = await ivrCall(['what is my balance', 'hangup']);
    expect(r.returned).toMatchObject({ hangup: true, endOfConversation: true });
    const stored = await latest();
    expect(stored).toMatchObject({ status: 'ended', outcome: 'abandoned' });
    expect(stored.turns.map((t) => t.text)).toEqual(expect.arrayContaining(['what is my balance', '[hangup]']));
  });
});

/** A request as a VoiceXML browser sends it. */
async function browser(url: string, body?: { form?: Record<string, string>; multipart?: Record<string, string> }): Promise<{ status: number; type: string; body: string }> {
  let payload: string | undefined;
  const headers: Record<string, string> = { accept: 'application/voicexml+xml, text/xml' };
  if (body?.form) {
    payload = new URLSearchParams(body.form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  } else if (body?.multipart) {
    const b = '---------------------------7da24f2e50046';
    payload = Object.entries(body.multipart).map(([k, v]) => `--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join('') + `--${b}--\r\n`;
    headers['content-type'] = `multipart/form-data; boundary=${b}`;
  }
  const res = await fetch(new URL(url, server.url), { method: payload === undefined ? 'GET' : 'POST', headers, ...(payload !== undefined ? { body: payload } : {}) });
  const text = await res.text();
  received.push(text);
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: text };
}

function nextUrl(vxml: string): string {
  const m = /<submit next="([^"]+)" method="(get|post)"/.exec(vxml);
  if (!m?.[1]) throw new Error(`no submit with a method in ${vxml}`);
  return m[1].replaceAll('&amp;', '&');
}

describe('plain HTTP as a VoiceXML browser sends it', () => {
  it('answers the subdialog (form-urlencoded), a multipart submit and a GET submit with VoiceXML documents', async () => {
    const start = await browser(`/ivr/hooks/bank?token=${token}`, { form: { message: 'what are your opening hours', from: 'tel:+15550111', to: 'bank', campaign: 'spring' } });
    expect(start.status).toBe(200);
    expect(start.type).toBe('application/voicexml+xml; charset=utf-8');
    expect(start.body).toContain('We are open Monday to Friday');
    const next = nextUrl(start.body);
    expect(next.startsWith('/ivr/hooks/bank?token=')).toBe(true);

    const mp = await browser(next, { multipart: { userinput: 'talk to an agent', userinput_confidence: '0.87', userinput_inputmode: 'voice' } });
    expect(mp.status).toBe(200);
    expect(mp.body).toContain('<var name="transfer" expr="true"/>');
    const stored = await latest();
    expect(stored.variables.session.ivr).toEqual({ campaign: 'spring' });
    expect(stored.turns.filter((t) => t.speaker === 'customer').map((t) => t.text)).toEqual(['what are your opening hours', 'talk to an agent']);

    const get = await browser(`/ivr/hooks/bank?token=${token}&from=${encodeURIComponent('tel:+15550112')}&message=`);
    expect(get.status).toBe(200);
    const asked = await browser(`${nextUrl(get.body)}&userinput=${encodeURIComponent('goodbye')}&userinput_inputmode=voice`);
    expect(asked.status).toBe(200);
    expect(asked.body).toContain('<var name="endOfConversation" expr="true"/>');
  });

  it('refuses a bad signature, an expired token, another bot’s app and a missing token with 401, creating no conversation', async () => {
    // An app of another bot, made in the server's database with its secret key (as `parley ivr app create shop` would).
    const shopApps = new IvrApps(createIvrAppStore(server.storage), resolveSecretKey(server.dataDir, {}).bytes);
    const shop = await shopApps.create('shop');
    const otherToken = await mintIvrToken({ clientId: shop.clientId, secret: shop.clientSecret, ttlMs: 600_000 });
    const [header, payload] = token.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(43)}`;
    const spare = await call('POST', '/api/bots/bank/ivr/apps', { name: 'expiry check' });
    const expired = await mintIvrToken({ clientId: String(spare.body.clientId), secret: String(spare.body.clientSecret), ttlMs: 60_000, now: new Date(Date.now() - 3600_000) });
    const before = await conversationIds();
    const cases: Array<[string, string]> = [
      [`/ivr/hooks/bank?token=${forged}`, 'bad signature'],
      [`/ivr/hooks/bank?token=${expired}`, 'expired'],
      [`/ivr/hooks/bank?token=${otherToken}`, "another bot's app"],
      ['/ivr/hooks/bank', 'missing token'],
    ];
    for (const [url, what] of cases) {
      const r = await browser(url, { form: { message: 'what is my balance', from: 'tel:+15550113' } });
      expect(r.status, what).toBe(401);
      expect(r.type, what).toBe('application/voicexml+xml; charset=utf-8');
      expect(r.body, what).toContain('<var name="endOfConversation" expr="false"/>');
    }
    expect(await conversationIds()).toEqual(before);
  });
});
