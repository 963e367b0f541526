 
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { client, eventually, signedIn, startHandoffServer, type Json } from '../../../../handoff/testing/handoff-server.ts';

/**
 * The hand-off as a customer, an agent and a supervisor meet it, against a real Parley with the demo bank bot
 * and the demo routing model (examples/routing.yaml).
 */
let server: Awaited<ReturnType<typeof startHandoffServer>>;
const admin = () => client(server);

beforeAll(async () => {
  server = await startHandoffServer();
});
afterAll(async () => server?.dispose());

const said = (body: Json) => (body.messages as Array<{ text: string }>).map((m) => m.text).join(' ');

/** A customer on the web chat WebSocket. */
async function chatCustomer() {
  const frames: Json[] = [];
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/chat/ws?bot=bank`);
  ws.on('message', (d) => frames.push(JSON.parse((d as Buffer).toString()) as Json));
  const waitFor = (pred: (f: Json) => boolean, what: string) => eventually(async () => Promise.resolve(frames.find(pred)), what, 8000);
  const conv = await waitFor((f) => f.type === 'conversation', 'the conversation id');
  await waitFor((f) => f.type === 'message' && String(f.text).includes('Welcome'), 'the greeting');
  return {
    id: String(conv.id),
    frames,
    waitFor,
    say: (text: string) => ws.send(JSON.stringify({ type: 'message', text })),
    close: () => ws.close(),
  };
}

/** A person's live desk feed. */
async function deskFeed(token: string) {
  const frames: Json[] = [];
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/desk/ws`, { headers: { cookie: `parley_session=${token}` } });
  ws.on('message', (d) => frames.push(JSON.parse((d as Buffer).toString()) as Json));
  const waitFor = (pred: (f: Json) => boolean, what: string) => eventually(async () => Promise.resolve(frames.find(pred)), what, 8000);
  await waitFor((f) => f.type === 'hello', 'the hello frame');
  return { frames, waitFor, close: () => ws.close() };
}

describe('hand-off with nobody there', () => {
  it('gives the customer agent_unavailable and the bot carries on', async () => {
    const call = admin();
    const c = (await call('POST', '/api/bots/bank/conversations', { channel: 'chat' })).body;
    const r = await call('POST', `/api/conversations/${c.id}/messages`, { text: 'I want to speak to a person' });
    expect(said(r.body)).toContain('all our agents are busy');
    expect(r.body.status).toBe('active');
    const next = await call('POST', `/api/conversations/${c.id}/messages`, { text: 'what are your opening hours' });
    expect(said(next.body)).toContain('We are open');
    const view = (await call('GET', `/api/conversations/${c.id}`)).body;
    expect(view.escalation).toMatchObject({ queue: 'general', status: 'ended', endReason: 'no-agents', historyKey: view.historyKey });
    const events = (await call('GET', `/api/escalations/${view.escalation.id}`)).body.events as Json[];
    expect(events.map((e) => e.kind)).toEqual(['requested', 'unavailable']);
  });
});

describe('hand-off to a signed-in agent', () => {
  it('routes by the rules, offers with transcript, intent and data, lets both chat, records the end, and counts it', async () => {
    const alice = await signedIn(server, { username: 'alice', role: 'agent' });
    const sue = await signedIn(server, { username: 'sue', role: 'supervisor', queues: ['general', 'cards'] });
    const kpisBefore = (await sue.call('GET', '/api/kpis?by=queue')).body;
    const meterBefore = (await sue.call('GET', '/api/metering')).body.months as Json[];
    const feed = await deskFeed(alice.token);
    expect((await alice.call('PUT', '/api/desk/presence', { presence: 'available' })).status).toBe(200);

    const customer = await chatCustomer();
    customer.say('I lost my card');
    await customer.waitFor((f) => String(f.text).includes('debit card or your credit card'), 'the card question');
    customer.say('my credit card');
    await customer.waitFor((f) => String(f.text).includes('block your credit card'), 'the block question');
    // asked in the middle of the lost-card dialog: the card type captured so far travels with the hand-off
    customer.say('I want to speak to a person');
    await customer.waitFor((f) => String(f.text).includes('transferring you'), 'agent_available');

    // routed by the "cards" rule (a card type was captured) and offered to alice, who has the skill
    const offerFrame = await feed.waitFor((f) => f.type === 'offer', 'the offer');
    const offer = offerFrame.offer as Json;
    expect(offer.escalation).toMatchObject({ queue: 'cards', requestedQueue: 'general', rule: 'cards', status: 'offered', message: 'The customer asked for an agent.' });
    expect(offer.conversation).toMatchObject({ id: customer.id, intent: 'talk_to_agent', entities: { cardType: 'credit' } });
    expect((offer.conversation.turns as Json[]).map((t) => t.text)).toEqual(expect.arrayContaining(['I lost my card', 'my credit card', 'I want to speak to a person']));
    const desk = (await alice.call('GET', '/api/desk')).body;
    expect(desk.offers.map((o: Json) => o.escalation.id)).toEqual([offer.escalation.id]);
    let view = (await admin()('GET', `/api/conversations/${customer.id}`)).body;
    expect(view.escalation).toMatchObject({ queue: 'cards', status: 'offered', historyKey: view.historyKey });

    // accept, then chat both ways
    const accepted = await alice.call('POST', `/api/desk/offers/${offer.escalation.id}/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.body.escalation.status).toBe('connected');
    expect((await alice.call('POST', `/api/desk/conversations/${customer.id}/messages`, { text: 'Hello, I am Alice. I can see your credit card is lost.' })).status).toBe(200);
    await customer.waitFor((f) => f.from === 'agent' && String(f.text).includes('I am Alice'), "the agent's message");
    customer.say('Thanks, please send a new one to my home address');
    const forwarded = await feed.waitFor((f) => f.type === 'turn' && (f.turn as Json).speaker === 'customer' && String((f.turn as Json).text).includes('new one'), "the customer's message");
    expect(forwarded.conversationId).toBe(customer.id);
    expect(customer.frames.filter((f) => f.type === 'message' && f.from !== 'agent' && String(f.text).includes("didn't catch"))).toEqual([]);

    // the supervisor sees it live
    const live = (await sue.call('GET', '/api/supervisor/overview')).body;
    expect(live.conversations.find((c: Json) => c.id === customer.id)).toMatchObject({ with: 'agent', queue: 'cards', agentId: 'alice' });
    expect(live.agents.find((a: Json) => a.id === 'alice')).toMatchObject({ presence: 'available', load: { chat: 1, voice: 0 } });

    // end with a disposition
    expect((await alice.call('POST', `/api/desk/conversations/${customer.id}/end`, { disposition: 'resolved' })).body).toMatchObject({ ended: true, survey: null });
    view = (await admin()('GET', `/api/conversations/${customer.id}`)).body;
    expect(view).toMatchObject({ status: 'ended', outcome: 'escalated' });
    expect(view.escalation).toMatchObject({ queue: 'cards', status: 'ended', disposition: 'resolved', endReason: 'agent', agentId: 'alice' });
    const events = (await sue.call('GET', `/api/escalations/${offer.escalation.id}`)).body;
    expect(events.events.map((e: Json) => e.kind)).toEqual(['requested', 'queued', 'offered', 'accepted', 'connected', 'ended']);
    for (const field of ['requestedAt', 'queuedAt', 'offeredAt', 'acceptedAt', 'connectedAt', 'endedAt']) expect(events[field]).toMatch(/^\d{4}-/);
    expect(view.turns.some((t: Json) => t.speaker === 'agent' && t.text.includes('I am Alice'))).toBe(true);

    // the KPIs and the metering count it
    const kpisAfter = (await sue.call('GET', '/api/kpis?by=queue')).body;
    const cardsRow = (k: Json) => (k.rows as Json[]).find((r) => r.key === 'cards') ?? { escalated: 0, conversations: 0 };
    expect(cardsRow(kpisAfter).escalated).toBe(cardsRow(kpisBefore).escalated + 1);
    expect(kpisAfter.total.escalated).toBe(kpisBefore.total.escalated + 1);
    const month = new Date().toISOString().slice(0, 7);
    const sessions = (rows: Json[]) => rows.find((m) => m.month === month) ?? { sessions: 0, escalated: 0 };
    const meterAfter = (await sue.call('GET', '/api/metering')).body.months as Json[];
    expect(sessions(meterAfter).escalated).toBe(sessions(meterBefore).escalated + 1);
    expect(sessions(meterAfter).sessions).toBeGreaterThanOrEqual(sessions(meterBefore).sessions + 1);
    const csv = await fetch(`${server.url}/api/kpis.csv?by=queue`, { headers: { authorization: `Bearer ${sue.token}` } });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(await csv.text()).toMatch(/^queue,conversations,resolved,escalated,/);

    // every action is in the audit log
    const audit = (await sue.call('GET', `/api/audit?conversation=${customer.id}`)).body.entries as Json[];
    expect(audit.map((e) => e.action).reverse()).toEqual(expect.arrayContaining(['offer.accept', 'message.send', 'conversation.end']));
    expect(audit.find((e) => e.action === 'conversation.end')).toMatchObject({ role: 'agent', detail: { disposition: 'resolved' } });
    await alice.call('PUT', '/api/desk/presence', { presence: 'offline' });
    customer.close();
    feed.close();
  });
});

describe('who sees what', () => {
  it('shows a handed-over conversation to the agent offered it and the supervisors of its queue only', async () => {
    const carl = await signedIn(server, { username: 'carl', role: 'agent', agentId: 'bob' });
    const pat = await signedIn(server, { username: 'pat', role: 'supervisor', queues: ['payments'] });
    const gina = await signedIn(server, { username: 'gina', role: 'supervisor', queues: ['general'] });
    await carl.call('PUT', '/api/desk/presence', { presence: 'available' });
    const call = admin();
    const c = (await call('POST', '/api/bots/bank/conversations', { channel: 'chat' })).body;
    const r = await call('POST', `/api/conversations/${c.id}/messages`, { text: 'talk to an agent' });
    expect(r.body.status).toBe('escalated');
    const offer = await eventually(async () => ((await carl.call('GET', '/api/desk')).body.offers as Json[])[0], 'an offer for carl');
    expect(offer.escalation.queue).toBe('general');
    expect((await carl.call('GET', `/api/desk/conversations/${c.id}`)).status).toBe(200);
    expect((await pat.call('GET', `/api/desk/conversations/${c.id}`)).status).toBe(403);
    expect((await gina.call('GET', `/api/desk/conversations/${c.id}`)).status).toBe(200);
    expect((await carl.call('GET', '/api/supervisor/overview')).status).toBe(403);
    expect((await pat.call('POST', '/api/people', { username: 'x', password: 'long-enough-pw', role: 'admin' })).status).toBe(403);
    // an agent cannot act on a conversation offered but not accepted
    expect((await carl.call('POST', `/api/desk/conversations/${c.id}/messages`, { text: 'hi' })).status).toBe(409);
    await carl.call('POST', `/api/desk/offers/${offer.escalation.id}/decline`);
    await carl.call('PUT', '/api/desk/presence', { presence: 'offline' });
  });

  it('opens the history page with a signed link or a signed-in agent, never with the key alone', async () => {
    const call = admin();
    const c = (await call('POST', '/api/bots/bank/conversations', { channel: 'chat' })).body;
    await call('POST', `/api/conversations/${c.id}/messages`, { text: 'I lost my card' });
    await call('POST', `/api/conversations/${c.id}/messages`, { text: 'my debit card' });
    await call('POST', `/api/conversations/${c.id}/messages`, { text: 'agent please' });
    const key = (await call('GET', `/api/conversations/${c.id}`)).body.historyKey as string;
    const bare = await fetch(`${server.url}/history?session_history_key=${encodeURIComponent(key)}`);
    expect(bare.status).toBe(403);
    const link = (await call('GET', `/api/conversations/${c.id}/history-link`)).body;
    expect(link.url).toContain(`session_history_key=${encodeURIComponent(key)}`);
    const page = await fetch(link.url as string);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('I lost my card');
    expect(html).toContain('debit');
    expect(html).toContain('talk_to_agent');
    const tampered = new URL(link.url as string);
    tampered.searchParams.set('expires', String(Number(tampered.searchParams.get('expires')) + 60));
    expect((await fetch(tampered)).status).toBe(403);
    const audit = (await call('GET', `/api/audit?conversation=${c.id}`)).body.entries as Json[];
    expect(audit.some((e) => e.action === 'history.view')).toBe(true);
  });

  it('refuses a wrong password and an unknown session the same way', async () => {
    const wrong = await fetch(`${server.url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'alice', password: 'not-her-password' }) });
    expect(wrong.status).toBe(401);
    const nobody = await fetch(`${server.url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'nobody', password: 'whatever-password' }) });
    expect(nobody.status).toBe(401);
    expect((await client(server, 'made-up-token')('GET', '/api/desk')).status).toBe(401);
  });
});
