/**
 * The hand-off under load: 1,000 agents and 10,000 customers waiting, on SQLite, every life-cycle step stored.
 *
 * - escalation-to-offer latency: from the bot's escalation (`escalate`, then the saved escalated turn) to the
 *   offer reaching the agent's live feed, while 10,000 customers wait in other queues; target p99 < 50 ms;
 * - assignments per second: the 10,000 waiting customers offered, accepted and ended as 1,000 agents come
 *   available and free their capacity;
 * - baseline, measured in the same run: the storage alone, i.e. the same transactions an assignment stores
 *   (offered, accepted + connected, ended) written without routing, and the dispatcher alone without storage.
 *
 * Run alone: `node --import ./bin/typescript.js bench/handoff.ts`.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { EscalationContext } from '../src/core/action.ts';
import { initialState } from '../src/core/state.ts';
import { ConnectorSet } from '../src/handoff/connectors/connector-set.ts';
import { advance, type EscalationRecord } from '../src/handoff/escalation.ts';
import { LiveHub } from '../src/handoff/live-hub.ts';
import { RoutingEngine } from '../src/handoff/routing-engine.ts';
import { createHandoffStores } from '../src/handoff/store/handoff-stores.ts';
import { Dispatcher } from '../src/routing/dispatcher.ts';
import type { RoutingModel } from '../src/routing/model.ts';
import { agentFrom, queueFrom } from '../src/routing/routing-config.ts';
import { openStorage } from '../src/storage/open-storage.ts';
import type { ConversationRecord, Storage } from '../src/storage/port.ts';
import { percentile } from './support/load.ts';

const agentCount = 1000;
const waitingCount = Number(process.env.PARLEY_BENCH_WAITING ?? 10_000);
const latencySamples = Number(process.env.PARLEY_BENCH_SAMPLES ?? 2000);

/** Half the agents serve ten live queues, the other half the backlog; `allOnBacklog` puts everyone on the backlog too. */
function model(allOnBacklog: boolean): RoutingModel {
  const queues = [queueFrom({ id: 'backlog', offerTimeoutMs: 600_000 }), ...Array.from({ length: 10 }, (_, i) => queueFrom({ id: `q${i}`, offerTimeoutMs: 600_000 }))];
  const agents = Array.from({ length: agentCount }, (_, i) =>
    agentFrom({ id: `a${i}`, queues: i < agentCount / 2 ? [`q${i % 10}`, ...(allOnBacklog ? ['backlog'] : [])] : ['backlog'], capacity: { chat: 1, voice: 0 } }),
  );
  return { workstreams: [{ id: 'chat', channel: 'chat', bots: [], rules: [] }], queues, agents, bots: [], surveys: [], connectors: [], presenceGraceMs: 15_000 };
}

const context: EscalationContext = { intent: 'talk_to_agent', entities: { cardType: 'credit' }, variables: { session: {} }, transferInfo: {}, reason: 'requested' };

function conversation(): ConversationRecord {
  const at = new Date().toISOString();
  return { id: randomUUID(), botId: 'bank', channel: 'chat', status: 'active', outcome: null, customer: null, startedAt: at, updatedAt: at, endedAt: null, historyKey: randomUUID(), state: initialState({}), turnCount: 0, version: 1 };
}

export interface HandoffBenchResult {
  offerP50Ms: number;
  offerP99Ms: number;
  assignmentsPerSecond: number;
  storageOnlyPerSecond: number;
  dispatcherOnlyPerSecond: number;
}

export async function benchHandoff(): Promise<HandoffBenchResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-handoff-'));
  const storage = await openStorage({ dataDir });
  try {
    return await run(storage);
  } finally {
    await storage.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function run(storage: Storage): Promise<HandoffBenchResult> {
  const logger = pino({ level: 'silent' });
  const stores = createHandoffStores(storage);
  const hub = new LiveHub(60_000);
  const engine = new RoutingEngine(model(false), { stores, conversations: storage.conversations, connectors: new ConnectorSet({ deliveries: stores.deliveries, logger }), hub, logger, bots: { language: () => 'en', masker: () => undefined }, historyUrl: (k) => `http://parley/history?k=${k}` });
  const waiters = new Map<string, (offer: { escalationId: string; agentId: string }) => void>();
  let onOffer: ((o: { escalationId: string; conversationId: string; agentId: string }) => void) | undefined;
  for (let i = 0; i < agentCount; i++) {
    const agentId = `a${i}`;
    hub.attach({
      personId: agentId,
      agentId,
      role: 'agent',
      queues: [],
      send: (f) => {
        if (f.type !== 'offer') return;
        const e = (f.offer as { escalation: { id: string; conversationId: string } }).escalation;
        waiters.get(e.conversationId)?.({ escalationId: e.id, agentId });
        onOffer?.({ escalationId: e.id, conversationId: e.conversationId, agentId });
      },
    });
  }
  const escalate = async (queue: string) => {
    const c = conversation();
    await storage.conversations.create(c, []);
    await engine.escalate({ conversation: c, queue, context });
    engine.onTurn({ conversation: { ...c, status: 'escalated', outcome: 'escalated' }, turns: [], actions: [] });
    return c;
  };

  // 10,000 customers wait in the backlog; its agents are signed in but busy.
  for (let i = 0; i < agentCount; i++) engine.setPresence(`a${i}`, 'busy');
  for (let i = 0; i < waitingCount; i++) await escalate('backlog');
  await engine.settled();

  // Escalation-to-offer latency into the live queues, whose agents are available, with the backlog waiting.
  for (let i = 0; i < agentCount / 2; i++) engine.setPresence(`a${i}`, 'available');
  const latencies: number[] = [];
  for (let i = 0; i < latencySamples + 100; i++) {
    const c = conversation();
    await storage.conversations.create(c, []);
    const offered = new Promise<{ escalationId: string; agentId: string }>((resolve) => waiters.set(c.id, resolve));
    const tEscalate = performance.now();
    await engine.escalate({ conversation: c, queue: `q${i % 10}`, context });
    engine.onTurn({ conversation: { ...c, status: 'escalated', outcome: 'escalated' }, turns: [], actions: [] });
    const offer = await offered;
    if (i >= 100) latencies.push(performance.now() - tEscalate);
    waiters.delete(c.id);
    await engine.accept(offer.escalationId, offer.agentId);
    await engine.finish(offer.escalationId, { endReason: 'agent' });
  }
  latencies.sort((a, b) => a - b);
  await engine.settled();

  // Assignments per second: every agent comes available; each offer is accepted and ended at once, freeing the agent for the next waiting customer.
  let assigned = 0;
  const work: Array<Promise<void>> = [];
  onOffer = (o) => {
    work.push(
      (async () => {
        await engine.accept(o.escalationId, o.agentId);
        await engine.finish(o.escalationId, { endReason: 'agent' });
        assigned++;
      })(),
    );
  };
  engine.setModel(model(true));
  for (let i = 0; i < agentCount / 2; i++) engine.setPresence(`a${i}`, 'busy');
  const tDrain = performance.now();
  for (let i = 0; i < agentCount; i++) engine.setPresence(`a${i}`, 'available');
  while (engine.dispatcher.queueSnapshot(Date.now()).some((q) => q.waiting > 0 || q.offered > 0)) {
    await engine.settled();
    await Promise.all(work.splice(0));
  }
  const drainMs = performance.now() - tDrain;
  onOffer = undefined;
  engine.close();

  const storageOnlyPerSecond = await storageBaseline(stores, Math.min(3000, assigned));
  const dispatcherOnlyPerSecond = dispatcherBaseline();
  const result = {
    offerP50Ms: percentile(latencies, 50),
    offerP99Ms: percentile(latencies, 99),
    assignmentsPerSecond: assigned / (drainMs / 1000),
    storageOnlyPerSecond,
    dispatcherOnlyPerSecond,
  };
  console.log(`\nHand-off: ${agentCount} agents, ${waitingCount} customers waiting, every life-cycle step stored (SQLite)`);
  console.log(`escalation → offer           p50 ${result.offerP50Ms.toFixed(2).padStart(7)} ms   p99 ${result.offerP99Ms.toFixed(2).padStart(7)} ms   (target p99 < 50 ms; ${latencies.length} samples)`);
  console.log(`assignments (offer, accept, end) ${result.assignmentsPerSecond.toFixed(0).padStart(7)}/s   (${assigned} waiting customers drained in ${(drainMs / 1000).toFixed(2)} s)`);
  console.log(`baseline: same transactions without routing ${result.storageOnlyPerSecond.toFixed(0).padStart(7)}/s`);
  console.log(`baseline: dispatcher alone, no storage       ${result.dispatcherOnlyPerSecond.toFixed(0).padStart(7)}/s`);
  console.log(`routing overhead over the storage floor: ${((1 - result.assignmentsPerSecond / result.storageOnlyPerSecond) * 100).toFixed(1)}% of throughput`);
  return result;
}

/** The three transactions of an assignment (offered; accepted + connected; ended), written without any routing. */
async function storageBaseline(stores: ReturnType<typeof createHandoffStores>, n: number): Promise<number> {
  const records: EscalationRecord[] = [];
  for (let i = 0; i < n; i++) {
    const at = new Date().toISOString();
    const r: EscalationRecord = { id: randomUUID(), conversationId: randomUUID(), botId: 'bank', channel: 'chat', queue: 'q', requestedQueue: 'q', rule: null, status: 'queued', historyKey: randomUUID(), agentId: null, connector: null, context: { ...context, sentiment: null }, skills: [], language: 'en', disposition: null, endReason: null, requestedAt: at, queuedAt: at, offeredAt: null, acceptedAt: null, connectedAt: null, endedAt: null, eventCount: 1 };
    await stores.escalations.create(r, { escalationId: r.id, seq: 1, kind: 'queued', at, agentId: null, queue: 'q', detail: null });
    records.push(r);
  }
  const t0 = performance.now();
  for (const r of records) {
    const at = new Date().toISOString();
    const offered = advance(r, { kind: 'offered', at, agentId: 'a' });
    await stores.escalations.update(offered.record, [offered.event]);
    const accepted = advance(offered.record, { kind: 'accepted', at, agentId: 'a' });
    const connected = advance(accepted.record, { kind: 'connected', at });
    await stores.escalations.update(connected.record, [accepted.event, connected.event]);
    const ended = advance(connected.record, { kind: 'ended', at });
    await stores.escalations.update(ended.record, [ended.event]);
  }
  return n / ((performance.now() - t0) / 1000);
}

/** The in-memory dispatcher alone: the same drain of 10,000 waiting customers by 1,000 agents. */
function dispatcherBaseline(): number {
  const d = new Dispatcher(model(true));
  for (let i = 0; i < waitingCount; i++) d.enqueue({ escalationId: `e${i}`, conversationId: `c${i}`, queue: 'backlog', channel: 'chat', skills: [], since: i }, i);
  const t0 = performance.now();
  const pending = [];
  for (let i = 0; i < agentCount; i++) pending.push(...d.setPresence(`a${i}`, 'available', waitingCount));
  let done = 0;
  while (pending.length) {
    const o = pending.pop() as (typeof pending)[number];
    d.accept(o.escalationId, o.agentId);
    pending.push(...d.release(o.escalationId, waitingCount + done).offers);
    done++;
  }
  return done / ((performance.now() - t0) / 1000);
}

if (import.meta.url === `file://${process.argv[1]}`) await benchHandoff();
