import { isOpen } from '../routing/business-hours.ts';
import type { RoutingModel } from '../routing/model.ts';
import { activeBot } from '../runtime/conversation-service.ts';
import type { ConversationRecord, ConversationStore } from '../storage/port.ts';
import { maySeeBotConversation, queuesVisibleTo } from './auth/access.ts';
import type { Principal } from './auth/people-service.ts';
import type { RoutingEngine } from './routing-engine.ts';
import type { HandoffStores } from './store/ports.ts';

const liveLimit = 100;

/**
 * The supervisor's live view: queue depth and longest wait, agent states, and the conversations going on with
 * the bots and with agents, each with the sentiment of its customer turns. Limited to the supervisor's queues.
 */
export async function supervisorOverview(p: Principal, deps: { engine: RoutingEngine; stores: HandoffStores; conversations: ConversationStore; now: Date }) {
  const model: RoutingModel = deps.engine.routing;
  const visible = new Set(queuesVisibleTo(p, model.queues.map((q) => q.id)));
  const queueDefs = new Map(model.queues.map((q) => [q.id, q]));
  const queues = deps.engine.dispatcher
    .queueSnapshot(deps.now.getTime())
    .filter((q) => visible.has(q.queue))
    .map((q) => {
      const def = queueDefs.get(q.queue);
      return { ...q, name: def?.name ?? q.queue, priority: def?.priority ?? 0, open: isOpen(def?.hours, deps.now), connector: def?.connector ?? null };
    });
  const agentQueues = new Map(model.agents.map((a) => [a.id, a.queues]));
  const agents = deps.engine.dispatcher
    .agentSnapshot()
    .filter((a) => p.role === 'admin' || (agentQueues.get(a.id) ?? []).some((q) => visible.has(q)))
    .map((a) => ({ ...a, idleForMs: a.work.length === 0 && a.presence === 'available' ? Math.max(0, deps.now.getTime() - a.idleSince) : null }));

  const live: ConversationRecord[] = [
    ...(await deps.conversations.list({ status: 'escalated', limit: liveLimit })),
    ...(await deps.conversations.list({ status: 'active', limit: liveLimit })),
  ];
  const conversations = [];
  for (const c of live) {
    const escalationId = deps.engine.liveEscalationOf(c.id);
    const escalation = escalationId ? await deps.stores.escalations.get(escalationId) : undefined;
    const bot = activeBot(c);
    const botQueues = model.bots.find((b) => b.id === bot)?.queues ?? [];
    const allowed = escalation ? p.role === 'admin' || visible.has(escalation.queue) : maySeeBotConversation(p, botQueues);
    if (!allowed) continue;
    const turns = await deps.conversations.turns(c.id);
    conversations.push({
      id: c.id,
      botId: bot,
      channel: c.channel,
      status: c.status,
      with: escalation ? (escalation.status === 'connected' || escalation.status === 'accepted' ? 'agent' : 'queue') : 'bot',
      queue: escalation?.queue ?? null,
      agentId: escalation?.agentId ?? null,
      escalationStatus: escalation?.status ?? null,
      startedAt: c.startedAt,
      updatedAt: c.updatedAt,
      turns: c.turnCount,
      sentiment: turns.filter((t) => t.speaker === 'customer' && t.sentiment !== null).map((t) => ({ seq: t.seq, sentiment: t.sentiment as number })),
    });
  }
  return {
    at: deps.now.toISOString(),
    totals: {
      withBot: conversations.filter((c) => c.with === 'bot').length,
      waiting: queues.reduce((n, q) => n + q.waiting + q.offered, 0),
      withAgents: conversations.filter((c) => c.with === 'agent').length,
      agentsSignedIn: agents.filter((a) => a.presence !== 'offline').length,
    },
    queues,
    agents,
    conversations,
  };
}
