 
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingEndpoint } from '../../../../handoff/connectors/recording-endpoint.ts';
import { verifyWebhookSignature } from '../../../../handoff/connectors/signing.ts';
import { client, eventually, signedIn, startHandoffServer, type Json } from '../../../../handoff/testing/handoff-server.ts';

/**
 * Re-offers, transfers, surveys and external contact centers through a real Parley, with a routing model of
 * this test's own and a local HTTP endpoint playing the contact center.
 */
let server: Awaited<ReturnType<typeof startHandoffServer>>;
let cc: Awaited<ReturnType<typeof startRecordingEndpoint>>;
const call = () => client(server);

beforeAll(async () => {
  cc = await startRecordingEndpoint((req) => (req.url.pathname === '/auth/token' ? { status: 200, json: { access_token: 'tok', expires_in: 600 } } : { status: 200 }));
  process.env.PARLEY_TEST_HOOK_SECRET = 'hook-secret';
  server = await startHandoffServer({
    surveyBot: true,
    routing: `
workstreams:
  - id: chat
    channel: chat
    rules:
      - { name: vip, if: "session.vip == true", queue: concierge }
      - { name: all, if: "true", queue: general }
  - id: voice
    channel: voice
    rules:
      - { name: calls, if: "true", queue: phone-cc }
queues:
  - { id: general, offerTimeoutMs: 1000 }
  - { id: specialists }
  - { id: concierge, connector: hook }
  - { id: phone-cc, connector: cxone }
agents:
  - { id: ann, queues: [general], capacity: { chat: 1 } }
  - { id: ben, queues: [general, specialists], capacity: { chat: 1 } }
bots:
  - { id: bank, queues: [general] }
surveys:
  - { if: "disposition == 'resolved' and channel == 'chat'", bot: survey }
connectors:
  - { id: hook, kind: webhook, url: "${cc.url}/events", secret: "env:PARLEY_TEST_HOOK_SECRET", maxAttempts: 3, initialBackoffMs: 50 }
  - { id: cxone, kind: cxone, signalUrl: "${cc.url}/contacts/{contactId}/signal", tokenUrl: "${cc.url}/auth/token", accessKeyId: AK, accessKeySecret: sekret }
`,
  });
});
afterAll(async () => {
  await server?.dispose();
  await cc?.close();
});

async function escalatedChat(variables: Record<string, unknown> = {}): Promise<string> {
  const c = (await call()('POST', '/api/bots/bank/conversations', { channel: 'chat', variables })).body;
  const r = await call()('POST', `/api/conversations/${c.id}/messages`, { text: 'I want to speak to a person' });
  expect(r.body.status).toBe('escalated');
  return String(c.id);
}

const offersOf = async (agent: { call: ReturnType<typeof client> }) => (await agent.call('GET', '/api/desk')).body.offers as Json[];
const eventsOf = async (conversationId: string) => {
  const view = (await call()('GET', `/api/conversations/${conversationId}`)).body;
  return ((await call()('GET', `/api/escalations/${view.escalation.id}`)).body.events as Json[]).map((e) => `${e.kind}${e.agentId ? `:${e.agentId}` : ''}`);
};

describe('re-offers, transfers and surveys', () => {
  it('re-offers a declined customer to the next agent, and a timed-out offer too, then waits', async () => {
    const ann = await signedIn(server, { username: 'ann', role: 'agent' });
    const ben = await signedIn(server, { username: 'ben', role: 'agent' });
    await ann.call('PUT', '/api/desk/presence', { presence: 'available' });
    await ben.call('PUT', '/api/desk/presence', { presence: 'available' });
    const id = await escalatedChat();
    const first = await eventually(async () => ((await offersOf(ann)).length ? ann : (await offersOf(ben)).length ? ben : undefined), 'the first offer');
    const second = first === ann ? ben : ann;
    const offer = (await offersOf(first))[0] as Json;
    expect((await first.call('POST', `/api/desk/offers/${offer.escalation.id}/decline`)).status).toBe(200);
    await eventually(async () => ((await offersOf(second)).length ? true : undefined), 'the re-offer');
    // the second agent lets it time out (1 s): nobody is left to offer it to, so it waits
    await eventually(async () => ((await eventsOf(id)).some((e) => e.startsWith('timed-out')) ? true : undefined), 'the time-out', 4000);
    const events = await eventsOf(id);
    const firstName = first === ann ? 'ann' : 'ben';
    const secondName = first === ann ? 'ben' : 'ann';
    expect(events).toEqual(['requested', 'queued', `offered:${firstName}`, `declined:${firstName}`, `offered:${secondName}`, `timed-out:${secondName}`]);
    expect((await second.call('POST', `/api/desk/offers/${offer.escalation.id}/accept`)).status).toBe(409);
    const overview = (await call()('GET', '/api/supervisor/overview')).body;
    expect(overview.queues.find((q: Json) => q.queue === 'general')).toMatchObject({ waiting: 1, offered: 0 });
    // the customer leaves while waiting
    await call()('POST', `/api/conversations/${id}/messages`, { event: 'hangup' });
    await eventually(async () => ((await eventsOf(id)).at(-1) === 'ended' ? true : undefined), 'the end');
    expect((await call()('GET', `/api/conversations/${id}`)).body.escalation).toMatchObject({ status: 'ended', endReason: 'customer-left' });
    await ann.call('PUT', '/api/desk/presence', { presence: 'offline' });
    await ben.call('PUT', '/api/desk/presence', { presence: 'offline' });
  });

  it('transfers to another queue, refuses the bot that escalated, and hands over to another bot', async () => {
    const ann = (await signedIn(server, { username: 'ann2', role: 'agent', agentId: 'ann' })).call;
    const ben = (await signedIn(server, { username: 'ben2', role: 'agent', agentId: 'ben' })).call;
    await ann('PUT', '/api/desk/presence', { presence: 'available' });
    const id = await escalatedChat();
    const offer = await eventually(async () => ((await ann('GET', '/api/desk')).body.offers as Json[])[0], "ann's offer");
    expect((await ann('POST', `/api/desk/offers/${offer.escalation.id}/accept`)).status).toBe(200);
    expect((await ann('POST', `/api/desk/conversations/${id}/transfer`, { queue: 'specialists' })).body.escalation).toMatchObject({ queue: 'specialists', status: 'queued' });
    expect((await ann('GET', '/api/desk')).body.conversations).toEqual([]);
    await ben('PUT', '/api/desk/presence', { presence: 'available' });
    const moved = await eventually(async () => ((await ben('GET', '/api/desk')).body.offers as Json[])[0], "ben's offer");
    expect(moved.escalation).toMatchObject({ id: offer.escalation.id, queue: 'specialists' });
    await ben('POST', `/api/desk/offers/${moved.escalation.id}/accept`);
    const refused = await ben('POST', `/api/desk/conversations/${id}/transfer`, { bot: 'bank' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('handed this conversation over');
    const toBot = await ben('POST', `/api/desk/conversations/${id}/transfer`, { bot: 'survey' });
    expect(toBot.status).toBe(200);
    expect(toBot.body.status).toBe('active');
    expect(toBot.body.messages.map((m: Json) => m.text).join(' ')).toContain('from 1 to 5');
    const next = await call()('POST', `/api/conversations/${id}/messages`, { text: '5' });
    expect(next.body.messages.map((m: Json) => m.text).join(' ')).toContain('Anything you would like to add');
    expect(await eventsOf(id)).toEqual(['requested', 'queued', 'offered:ann', 'accepted:ann', 'connected:ann', 'transferred', 'offered:ben', 'accepted:ben', 'connected:ben', 'ended:ben']);
    await ann('PUT', '/api/desk/presence', { presence: 'offline' });
    await ben('PUT', '/api/desk/presence', { presence: 'offline' });
  });

  it('sends the customer to the survey bot when the agent ends, and keeps the answers', async () => {
    const ann = (await signedIn(server, { username: 'ann3', role: 'agent', agentId: 'ann' })).call;
    await ann('PUT', '/api/desk/presence', { presence: 'available' });
    const id = await escalatedChat();
    const offer = await eventually(async () => ((await ann('GET', '/api/desk')).body.offers as Json[])[0], "ann's offer");
    await ann('POST', `/api/desk/offers/${offer.escalation.id}/accept`);
    expect((await ann('POST', `/api/desk/conversations/${id}/end`, { disposition: 'resolved' })).body).toMatchObject({ ended: true, survey: 'survey' });
    await call()('POST', `/api/conversations/${id}/messages`, { text: '4' });
    const last = await call()('POST', `/api/conversations/${id}/messages`, { text: 'quick and friendly' });
    expect(last.body).toMatchObject({ ended: true });
    const surveys = await eventually(async () => {
      const r = (await call()('GET', `/api/conversations/${id}/survey`)).body.surveys as Json[];
      return r.length ? r : undefined;
    }, 'the survey answers');
    expect(surveys[0]).toMatchObject({ botId: 'survey', answers: { score: 4, comment: 'quick and friendly', survey: { disposition: 'resolved' } } });
    const view = (await call()('GET', `/api/conversations/${id}`)).body;
    expect(view.escalation).toMatchObject({ status: 'ended', disposition: 'resolved' });
    await ann('PUT', '/api/desk/presence', { presence: 'offline' });
  });
});

describe('external contact centers through the engine', () => {
  it('hands a VIP chat to the webhook contact center with signed events, and tells it when the chat ends', async () => {
    const id = await escalatedChat({ vip: true });
    const view = (await call()('GET', `/api/conversations/${id}`)).body;
    expect(view.escalation).toMatchObject({ queue: 'concierge', status: 'connected' });
    const hooks = () =>
      cc.requests.filter((r) => {
        const data = JSON.parse(r.body).data ?? {};
        return r.url.pathname === '/events' && (data.escalation?.conversationId ?? data.conversationId) === id;
      });
    await eventually(async () => Promise.resolve(hooks().length >= 2 ? true : undefined), 'the webhook events');
    expect(hooks().map((r) => JSON.parse(r.body).type)).toEqual(expect.arrayContaining(['escalation.requested', 'escalation.assigned']));
    for (const r of hooks()) expect(verifyWebhookSignature('hook-secret', r.headers['x-parley-timestamp'] as string, r.body, r.headers['x-parley-signature'] as string)).toBe(true);
    const assigned = JSON.parse(hooks().find((r) => JSON.parse(r.body).type === 'escalation.assigned')!.body);
    expect(assigned.data.historyUrl).toContain('/history?session_history_key=');
    expect((await fetch(assigned.data.historyUrl as string)).status).toBe(200);
    await call()('POST', `/api/conversations/${id}/messages`, { event: 'hangup' });
    await eventually(async () => Promise.resolve(cc.requests.some((r) => r.url.pathname === '/events' && JSON.parse(r.body).id === `${id}:conversation.ended`) ? true : undefined), 'the conversation-end event');
  });

  it('signals the CXone-style contact center with the history key and custom data, and p1=hangup', async () => {
    const c = (await call()('POST', '/api/bots/bank/conversations', { channel: 'voice', customer: '+15550123', variables: { sip: { headers: { 'X-ContactID': '777' } } } })).body;
    const r = await call()('POST', `/api/conversations/${c.id}/messages`, { text: 'talk to an agent' });
    expect(r.body.status).toBe('escalated');
    const key = (await call()('GET', `/api/conversations/${c.id}`)).body.historyKey as string;
    const signals = () => cc.requests.filter((x) => x.url.pathname === '/contacts/777/signal');
    await eventually(async () => Promise.resolve(signals().length ? true : undefined), 'the transfer signal');
    expect(Object.fromEntries(signals()[0]!.url.searchParams)).toEqual({ p1: key, p2: '+15550123' });
    expect((await call()('GET', `/api/conversations/${c.id}`)).body.escalation).toMatchObject({ queue: 'phone-cc', status: 'connected' });
    await call()('POST', `/api/conversations/${c.id}/messages`, { event: 'hangup' });
    await eventually(async () => Promise.resolve(signals().length === 2 ? true : undefined), 'the hang-up signal');
    expect(Object.fromEntries(signals()[1]!.url.searchParams)).toEqual({ p1: 'hangup' });
    expect((await call()('POST', '/api/connectors/cxone/test')).body).toMatchObject({ ok: true, kind: 'cxone' });
    expect((await call()('POST', '/api/connectors/hook/test')).body).toMatchObject({ ok: true, kind: 'webhook' });
  });
});

describe('the routing model through the API', () => {
  it('shows the model with secrets hidden, changes an agent and writes routing.yaml, refuses an invalid model', async () => {
    const model = (await call()('GET', '/api/routing')).body;
    expect(model.connectors.find((x: Json) => x.id === 'cxone')).toMatchObject({ accessKeyId: '****', accessKeySecret: '****' });
    expect(model.connectors.find((x: Json) => x.id === 'hook')).toMatchObject({ secret: 'env:PARLEY_TEST_HOOK_SECRET' });
    const put = await call()('PUT', '/api/routing/agents/cara', { name: 'Cara', queues: ['general'], capacity: { chat: 4 } });
    expect(put.status).toBe(200);
    expect(put.body.agents.find((a: Json) => a.id === 'cara')).toMatchObject({ capacity: { chat: 4, voice: 1 } });
    const file = readFileSync(join(server.dataDir, 'routing.yaml'), 'utf8');
    expect(file).toContain('id: cara');
    expect(file).toContain('accessKeySecret: sekret');
    expect((await signedIn(server, { username: 'cara', role: 'agent' })).token).toMatch(/.+/);
    const bad = await call()('PUT', '/api/routing', { ...model, workstreams: [{ id: 'chat', channel: 'chat', rules: [{ name: 'r', if: 'intent ==', queue: 'nowhere' }] }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("workstreams[0].rules[0].queue: unknown queue 'nowhere'");
    expect(bad.body.error.message).toContain('workstreams[0].rules[0].if');
    const unchanged = await call()('PUT', '/api/routing', model);
    expect(unchanged.status).toBe(200);
    expect(readFileSync(join(server.dataDir, 'routing.yaml'), 'utf8')).toContain('accessKeySecret: sekret');
  });

  it('starts a conversation with the first-line bot the workstream rules choose', async () => {
    const r = await call()('POST', '/api/workstreams/chat/conversations', {});
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ bot: 'bank', queue: 'general', rule: 'all' });
    expect(r.body.messages[0].text).toContain('Welcome to Acme Bank');
  });
});
