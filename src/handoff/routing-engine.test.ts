/**
 * The routing engine and the agent desk against the real conversation runtime (dialog engine, conversation
 * service, SQLite) and the demo bank bot. Understanding is an exact-phrase NLU behind the NLU port, so what is
 * tested is the hand-off, not the classifier.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadBotFolder } from '../bot/load.ts';
import type { Understanding } from '../core/input.ts';
import type { NluEngine, TrainingData } from '../nlu/port.ts';
import type { RoutingModel } from '../routing/model.ts';
import { formatRoutingProblems, readRouting } from '../routing/routing-config.ts';
import { BotRegistry } from '../runtime/bot-registry.ts';
import { ConversationService } from '../runtime/conversation-service.ts';
import { createHttpServiceCaller } from '../runtime/service-caller.ts';
import { openStorage } from '../storage/open-storage.ts';
import type { Storage } from '../storage/port.ts';
import { AgentDesk } from './agent-desk.ts';
import { apiKeyPrincipal, type Principal } from './auth/people-service.ts';
import { ConnectorSet } from './connectors/connector-set.ts';
import type { DeskFrame } from './live-hub.ts';
import { LiveHub } from './live-hub.ts';
import { RoutingEngine } from './routing-engine.ts';
import { createHandoffStores } from './store/handoff-stores.ts';
import { eventually } from './testing/eventually.ts';

const exactPhraseNlu: NluEngine = {
  name: 'exact-phrase (test)',
  train: (data: TrainingData) =>
    Promise.resolve({
      understand: (text): Promise<Understanding> => {
        const said = text.toLowerCase().trim();
        const intent = data.intents.find((i) => i.utterances.some((u) => u.toLowerCase() === said));
        return Promise.resolve({ intents: intent ? [{ name: intent.name, confidence: 1 }] : [], entities: [], sentiment: said.includes('angry') ? -0.8 : 0.1 });
      },
    }),
};

const routing = (yaml: string): RoutingModel => {
  const r = readRouting(parse(yaml));
  if (!r.model) throw new Error(formatRoutingProblems(r.problems));
  return r.model;
};

const model = routing(`
workstreams: [{ id: chat, channel: chat, rules: [{ name: angry, if: "session.mood == 'angry'", queue: care }] }]
queues:
  - { id: general, overflow: { queue: care, afterMs: 200 } }
  - { id: care, priority: 5 }
agents:
  - { id: ann, queues: [general], capacity: { chat: 1 } }
  - { id: cy, queues: [care], capacity: { chat: 1 } }
`);

const dataDir = mkdtempSync(join(tmpdir(), 'parley-engine-'));
const logger = pino({ level: 'silent' });
let storage: Storage;
let bots: BotRegistry;
const running: Array<{ engine: RoutingEngine; stop: () => void }> = [];
const closing: Storage[] = [];

beforeAll(async () => {
  storage = await openStorage({ dataDir });
  bots = new BotRegistry(exactPhraseNlu);
  await bots.add(await loadBotFolder(fileURLToPath(new URL('../../examples/bank', import.meta.url))));
});
afterEach(async () => {
  for (const r of running.splice(0)) {
    r.stop();
    r.engine.close();
    await r.engine.settled();
  }
  for (const s of closing.splice(0)) await s.close();
});
afterAll(async () => {
  await storage?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** An engine, a conversation service using it, a desk, and the frames each agent received; a fresh database unless given one. */
async function setup(db?: Storage, m: RoutingModel = model) {
  const storage = db ?? (await openStorage({ url: 'sqlite::memory:' }));
  if (!db) closing.push(storage);
  const stores = createHandoffStores(storage);
  const hub = new LiveHub(5);
  const engine = new RoutingEngine(m, {
    stores,
    conversations: storage.conversations,
    connectors: new ConnectorSet({ deliveries: stores.deliveries, logger }),
    hub,
    logger,
    bots: { language: () => 'en', masker: (id) => bots.get(id).masker },
    historyUrl: (k) => `http://parley.test/history?k=${k}`,
  });
  const service = new ConversationService({ bots, storage, services: createHttpServiceCaller({ baseUrl: () => 'http://127.0.0.1:1' }), handoff: engine, logger });
  const stop = service.subscribe((e) => engine.onTurn(e));
  running.push({ engine, stop });
  const desk = new AgentDesk({ engine, service, stores, conversations: storage.conversations, logger });
  const frames: Record<string, DeskFrame[]> = {};
  for (const a of m.agents) {
    frames[a.id] = [];
    hub.attach({ personId: a.id, agentId: a.id, role: 'agent', queues: [], send: (f) => frames[a.id]?.push(f) });
  }
  const agent = (id: string): Principal => ({ ...apiKeyPrincipal, id, username: id, role: 'agent', agentId: id });
  const frame = (agentId: string, type: DeskFrame['type']) => eventually(async () => Promise.resolve(frames[agentId]?.find((f) => f.type === type)), `a ${type} frame for ${agentId}`);
  return { engine, service, desk, stores, frames, agent, frame, storage };
}

describe('the routing engine with the conversation runtime', () => {
  it('offers with the transcript and sentiment, forwards both sides once accepted, and the bot stays quiet', async () => {
    const { service, desk, agent, frame, frames, storage } = await setup();
    await desk.setPresence(agent('ann'), 'available');
    const { conversation } = await service.start('bank', { channel: 'chat' });
    await service.send(conversation.id, { text: 'I am angry' });
    const escalated = await service.send(conversation.id, { text: 'talk to an agent' });
    expect(escalated.conversation.status).toBe('escalated');
    const offer = (await frame('ann', 'offer')) as Extract<DeskFrame, { type: 'offer' }>;
    const view = offer.offer as { escalation: { id: string; sentiment: number; queue: string }; conversation: { turns: Array<{ text: string }> } };
    expect(view.escalation.queue).toBe('general');
    expect(view.escalation.sentiment).toBeCloseTo((-0.8 + 0.1) / 2);
    expect(view.conversation.turns.map((t) => t.text)).toEqual(expect.arrayContaining(['I am angry', 'talk to an agent']));
    await desk.accept(agent('ann'), view.escalation.id);
    await desk.message(agent('ann'), conversation.id, 'Hi, Ann here. My card number is 4111 1111 1111 1111');
    const reply = await service.send(conversation.id, { text: 'thank you' });
    expect(reply.actions).toEqual([]);
    const turns = await storage.conversations.turns(conversation.id);
    const agentTurn = turns.find((t) => t.speaker === 'agent');
    expect(agentTurn?.text).toContain('Ann here');
    expect(agentTurn?.text).not.toContain('4111 1111');
    await eventually(async () => Promise.resolve(frames.ann?.some((f) => f.type === 'turn' && (f.turn as { text: string }).text === 'thank you') || undefined), 'the customer turn at the agent');
  });

  it('withdraws the offer when the customer leaves, and frees the agent', async () => {
    const { service, desk, agent, frame, engine } = await setup();
    await desk.setPresence(agent('ann'), 'available');
    const { conversation } = await service.start('bank', { channel: 'chat' });
    await service.send(conversation.id, { text: 'talk to an agent' });
    await frame('ann', 'offer');
    await service.send(conversation.id, { event: 'hangup' });
    const withdrawn = await frame('ann', 'offer-withdrawn');
    expect(withdrawn).toMatchObject({ conversationId: conversation.id, reason: 'customer-left' });
    await engine.settled();
    expect(engine.dispatcher.agentSnapshot().find((a) => a.id === 'ann')?.load.chat).toBe(0);
  });

  it('routes by a context variable and moves a customer waiting too long to the overflow queue', async () => {
    const { service, desk, agent, frame, stores } = await setup();
    await desk.setPresence(agent('ann'), 'away');
    await desk.setPresence(agent('cy'), 'away');
    const { conversation: angry } = await service.start('bank', { channel: 'chat', session: { mood: 'angry' } });
    expect((await service.send(angry.id, { text: 'talk to an agent' })).conversation.status).toBe('escalated');
    const { conversation: waiting } = await service.start('bank', { channel: 'chat' });
    expect((await service.send(waiting.id, { text: 'talk to an agent' })).conversation.status).toBe('escalated');
    const [a] = await stores.escalations.forConversation(angry.id);
    const [w] = await stores.escalations.forConversation(waiting.id);
    expect([a?.queue, a?.rule, w?.queue, w?.rule]).toEqual(['care', 'angry', 'general', null]);
    // after 200 ms in general, the second customer overflows to care
    await eventually(async () => ((await stores.escalations.get(w!.id))?.queue === 'care' ? true : undefined), 'the overflow', 4000);
    expect((await stores.escalations.events(w!.id)).map((x) => x.kind)).toEqual(['requested', 'queued', 'overflowed']);
    // cy comes available and gets the customer who waited longest in care
    await desk.setPresence(agent('cy'), 'available');
    const offer = (await frame('cy', 'offer')) as Extract<DeskFrame, { type: 'offer' }>;
    expect((offer.offer as { escalation: { id: string } }).escalation.id).toBe(a?.id);
  });

  it('puts waiting customers back in their queues after a restart', async () => {
    const first = await setup(storage);
    const { conversation } = await first.service.start('bank', { channel: 'chat' });
    await first.desk.setPresence(first.agent('ann'), 'away');
    await first.service.send(conversation.id, { text: 'talk to an agent' });
    await first.engine.settled();
    const [e] = await first.stores.escalations.forConversation(conversation.id);
    expect(e?.status).toBe('queued');
    for (const r of running.splice(0)) {
      r.stop();
      r.engine.close();
    }
    const second = await setup(storage);
    await second.engine.restore();
    await second.desk.setPresence(second.agent('ann'), 'available');
    const offer = (await second.frame('ann', 'offer')) as Extract<DeskFrame, { type: 'offer' }>;
    expect((offer.offer as { escalation: { id: string } }).escalation.id).toBe(e?.id);
  });

  it('gives the SIP channel the transfer target and the session-history key header for a voice hand-off', async () => {
    const sipModel = routing(`
workstreams: [{ id: voice, channel: voice, rules: [{ name: calls, if: "true", queue: pbx }] }]
queues: [{ id: general }, { id: pbx, connector: pbx }]
connectors: [{ id: pbx, kind: sip, target: "sip:agents@cc.example.com", headers: { X-Tenant: acme } }]
`);
    const { service, engine } = await setup(undefined, sipModel);
    const { conversation } = await service.start('bank', { channel: 'voice' });
    const r = await service.send(conversation.id, { text: 'talk to an agent' });
    expect(r.conversation.status).toBe('escalated');
    await engine.settled();
    expect(await engine.sipTransferFor(conversation.id)).toEqual({
      conversationId: conversation.id,
      target: 'sip:agents@cc.example.com',
      headers: { 'X-Tenant': 'acme', 'X-Session-History-Key': conversation.historyKey, 'X-Parley-Queue': 'pbx' },
    });
  });
});
