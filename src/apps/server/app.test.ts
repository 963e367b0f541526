import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openChatSocket } from '../../../test/support/chat-socket.ts';
import { api, startTestServer } from '../../../test/support/server.ts';

let server: Awaited<ReturnType<typeof startTestServer>>;
let call: ReturnType<typeof api>;

beforeAll(async () => {
  server = await startTestServer();
  call = api(server);
});
afterAll(async () => server?.dispose());

async function startChat() {
  const res = await call('POST', '/api/bots/bank/conversations', { channel: 'chat' });
  expect(res.status).toBe(201);
  return res.body as { id: string; messages: Array<{ text: string }> };
}

const said = (body: Record<string, any>) => (body.messages as Array<{ text: string }>).map((m) => m.text).join(' ');

describe('REST API', () => {
  it('answers /health once ready', async () => {
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', bots: ['bank'] });
  });

  it('refuses a missing or wrong API key with 401 and creates nothing', async () => {
    const before = (await call('GET', '/api/conversations')).body.conversations.length;
    for (const auth of [undefined, 'Bearer nope', 'Basic abc']) {
      const res = await fetch(`${server.url}/api/bots/bank/conversations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
        body: '{"channel":"chat"}',
      });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('PARLEY_ERR_UNAUTHORIZED');
    }
    expect((await call('GET', '/api/conversations')).body.conversations.length).toBe(before);
  });

  it('starts a chat conversation with the greeting', async () => {
    const c = await startChat();
    expect(c.id).toMatch(/[0-9a-f-]{36}/);
    expect(c.messages[0]?.text).toContain('Welcome to Acme Bank');
  });

  it('tells the balance after account number and PIN, and stores every turn with the PIN masked', async () => {
    const c = await startChat();
    let r = await call('POST', `/api/conversations/${c.id}/messages`, { text: "what's my account balance" });
    expect(said(r.body)).toContain('account number');
    r = await call('POST', `/api/conversations/${c.id}/messages`, { text: '12345678' });
    expect(said(r.body)).toContain('PIN');
    r = await call('POST', `/api/conversations/${c.id}/messages`, { text: '4321' });
    expect(said(r.body)).toMatch(/Your available balance is [0-9.]+ USD/);
    expect(r.body.ended).toBe(false);

    const view = (await call('GET', `/api/conversations/${c.id}`)).body;
    expect(view.status).toBe('active');
    const customerTurns = view.turns.filter((t: { speaker: string }) => t.speaker === 'customer');
    expect(customerTurns[0]).toMatchObject({ text: "what's my account balance", intent: 'check_balance' });
    expect(customerTurns[0].confidence).toBeGreaterThan(0.35);
    expect(customerTurns[1].entities).toMatchObject({ accountNumber: '12345678' });
    expect(customerTurns[2].text).toBe('****');
    expect(JSON.stringify(view)).not.toContain('4321');
    expect(view.entities).toMatchObject({ accountNumber: '12345678', pin: '****' });
    expect(view.turns.filter((t: { speaker: string }) => t.speaker === 'bot').length).toBeGreaterThanOrEqual(4);
  });

  it('blocks a lost card through the demo back end', async () => {
    const c = await startChat();
    await call('POST', `/api/conversations/${c.id}/messages`, { text: 'I lost my card' });
    let r = await call('POST', `/api/conversations/${c.id}/messages`, { text: 'my credit card' });
    expect(said(r.body)).toContain('block your credit card');
    r = await call('POST', `/api/conversations/${c.id}/messages`, { text: 'yes please' });
    expect(said(r.body)).toMatch(/reference is BLK-\d{6}/);
  });

  it('escalates to an agent with the context and records the outcome', async () => {
    // an agent of the demo routing model (examples/routing.yaml) signs in and is available
    await call('POST', '/api/people', { username: 'bob', password: 'bob-password-123', role: 'agent' });
    const session = await call('POST', '/api/auth/sign-in', { username: 'bob', password: 'bob-password-123' });
    await call('PUT', '/api/desk/presence', { presence: 'available' }, { authorization: `Bearer ${String(session.body.token)}` });
    const c = await startChat();
    const r = await call('POST', `/api/conversations/${c.id}/messages`, { text: 'I want to speak to a person' });
    expect(said(r.body)).toContain('transferring you');
    expect(r.body.status).toBe('escalated');
    const view = (await call('GET', `/api/conversations/${c.id}`)).body;
    expect(view.outcome).toBe('escalated');
    expect(view.escalation).toMatchObject({ queue: 'general', historyKey: view.historyKey });
  });

  it('ends with an outcome on goodbye and refuses further messages with a clear error', async () => {
    const c = await startChat();
    await call('POST', `/api/conversations/${c.id}/messages`, { text: 'what are your opening hours' });
    const r = await call('POST', `/api/conversations/${c.id}/messages`, { text: 'no thank you, bye' });
    expect(r.body).toMatchObject({ ended: true, outcome: 'resolved' });
    const again = await call('POST', `/api/conversations/${c.id}/messages`, { text: 'hello?' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('PARLEY_ERR_CONVERSATION_ENDED');
  });

  it('lists conversations newest first, filtered', async () => {
    const a = await startChat();
    const b = await startChat();
    const list = (await call('GET', '/api/conversations?bot=bank&channel=chat&status=active')).body.conversations as Array<{ id: string; status: string }>;
    expect(list.findIndex((c) => c.id === b.id)).toBeLessThan(list.findIndex((c) => c.id === a.id));
    expect(list.every((c) => c.status === 'active')).toBe(true);
  });

  it('answers bad input with a 4xx, an error code and what to fix', async () => {
    const badJson = await call('POST', '/api/bots/bank/conversations', '{"channel":');
    expect(badJson.status).toBe(400);
    expect(badJson.body.error.code).toBe('PARLEY_ERR_BAD_REQUEST');
    const badChannel = await call('POST', '/api/bots/bank/conversations', { channel: 'fax' });
    expect(badChannel.status).toBe(400);
    expect(badChannel.body.error.message).toContain('channel');
    const unknownBot = await call('POST', '/api/bots/nope/conversations', { channel: 'chat' });
    expect(unknownBot.status).toBe(404);
    expect(unknownBot.body.error.code).toBe('PARLEY_ERR_BOT_NOT_FOUND');
    const unknownConversation = await call('GET', '/api/conversations/does-not-exist');
    expect(unknownConversation.body.error.code).toBe('PARLEY_ERR_CONVERSATION_NOT_FOUND');
    const route = await call('GET', '/api/nothing-here');
    expect(route.status).toBe(404);
    expect(route.body.error.hint).toContain('openapi.json');
  });

  it('serves an OpenAPI document listing the conversation routes', async () => {
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/bots/{botId}/conversations', '/api/conversations/{id}/messages', '/api/conversations/{id}']));
  });
});

describe('live chat over WebSocket', () => {
  it('greets, answers and keeps the transcript', async () => {
    const { ws, waitFor } = openChatSocket(server.url, 'bank');
    const conv = await waitFor((f) => f.type === 'conversation');
    await waitFor((f) => f.type === 'message' && String(f.text).includes('Welcome'));
    ws.send(JSON.stringify({ type: 'message', text: 'when are you open' }));
    await waitFor((f) => f.type === 'message' && String(f.text).includes('We are open'));
    ws.send('not json');
    await waitFor((f) => f.type === 'error' && f.code === 'PARLEY_ERR_BAD_REQUEST');
    ws.close();
    const view = (await call('GET', `/api/conversations/${String(conv.id)}`)).body;
    expect(view.turns.some((t: { text: string }) => t.text === 'when are you open')).toBe(true);
  });

  it('slows password guessing: after five wrong passwords a username is refused with 429 and Retry-After, the right password too', async () => {
    expect((await call('POST', '/api/people', { username: 'dave', password: 'dave-password-123', role: 'supervisor' })).status).toBe(201);
    for (let i = 0; i < 5; i++) {
      const wrong = await call('POST', '/api/auth/sign-in', { username: 'dave', password: `guess-number-${i}` });
      expect(wrong.status).toBe(401);
    }
    const res = await fetch(`${server.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'dave', password: 'dave-password-123' }),
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(800);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('PARLEY_ERR_TOO_MANY_ATTEMPTS');
    expect(body.error.message).toMatch(/try again in \d+ s/);
    // another person signs in from the same address
    expect((await call('POST', '/api/people', { username: 'erin', password: 'erin-password-123', role: 'supervisor' })).status).toBe(201);
    expect((await call('POST', '/api/auth/sign-in', { username: 'erin', password: 'erin-password-123' })).status).toBe(200);
  });

  it('brings the agent’s messages and the end of the conversation to the customer’s socket', async () => {
    await call('POST', '/api/people', { username: 'carol', password: 'carol-password-123', role: 'agent' });
    const session = await call('POST', '/api/auth/sign-in', { username: 'carol', password: 'carol-password-123' });
    await call('PUT', '/api/desk/presence', { presence: 'available' }, { authorization: `Bearer ${String(session.body.token)}` });
    const { ws, waitFor } = openChatSocket(server.url, 'bank');
    const conv = await waitFor((f) => f.type === 'conversation');
    ws.send(JSON.stringify({ type: 'message', text: 'I want to speak to a person' }));
    await waitFor((f) => f.type === 'event' && f.name === 'escalated');
    await server.service.postAgentMessage(String(conv.id), 'carol', 'Hi, this is Carol from Acme Bank.');
    await waitFor((f) => f.type === 'message' && f.from === 'agent' && f.text === 'Hi, this is Carol from Acme Bank.');
    await server.service.endByAgent(String(conv.id), 'resolved');
    await waitFor((f) => f.type === 'event' && f.name === 'ended' && f.outcome === 'escalated');
    ws.close();
  });

  it('serves the web chat page', async () => {
    const res = await fetch(`${server.url}/chat`);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('/chat/ws');
  });
});
