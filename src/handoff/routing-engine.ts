import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { EscalationResult } from '../core/input.ts';
import { ParleyError } from '../errors.ts';
import { Dispatcher, type Offer } from '../routing/dispatcher.ts';
import { workChannel, type Presence, type RoutingModel } from '../routing/model.ts';
import { channelConnector, place } from '../routing/placement.ts';
import { route } from '../routing/rules.ts';
import type { TurnEvent } from '../runtime/conversation-service.ts';
import type { HandoffPort, HandoffRequest } from '../runtime/handoff.ts';
import { KeyedLock } from '../runtime/keyed-lock.ts';
import type { Masker } from '../runtime/masker.ts';
import type { ConversationStore, TurnRecord } from '../storage/port.ts';
import type { ConnectorSet } from './connectors/connector-set.ts';
import { historyKeyHeader, SipTransferConnector, type SipTransfer } from './connectors/sip-transfer.ts';
import type { Advance, EscalationRecord } from './escalation.ts';
import { HandoffLifecycle } from './handoff-lifecycle.ts';
import type { LiveHub } from './live-hub.ts';
import { maskContext } from './mask-context.ts';
import { routingFacts } from './routing-facts.ts';
import type { HandoffStores } from './store/ports.ts';

export interface RoutingEngineDeps {
  stores: HandoffStores;
  conversations: ConversationStore;
  connectors: ConnectorSet;
  hub: LiveHub;
  logger: Logger;
  bots: { language(botId: string): string | undefined; masker(botId: string): Masker | undefined };
  /** A signed link to the conversation history page, for connectors and webhooks. */
  historyUrl(historyKey: string): string;
  now?: () => Date;
}

const overflowCheckMs = 1000;

/**
 * The routing engine, Parley's hand-off port: routing rules pick the queue, the queue's hours and signed-in
 * agents decide `agent_available` or `agent_unavailable`, and the hand-off is stored through its life cycle
 * while the dispatcher pushes it to agents (or a connector hands it to an external contact center).
 *
 * A hand-off is requested inside the customer's turn, before the conversation is saved; it is queued when the
 * saved turn shows the conversation escalated (`onTurn`), so the agent's offer carries the whole transcript.
 */
export class RoutingEngine implements HandoffPort {
  private model: RoutingModel;
  readonly dispatcher: Dispatcher;
  readonly lifecycle: HandoffLifecycle;
  private readonly lock = new KeyedLock();
  private readonly offerTimers = new Map<string, NodeJS.Timeout>();
  /** Conversation id → its requested hand-off, until the escalated turn is saved. */
  private readonly pending = new Map<string, string>();
  /** Conversation id → its hand-off being queued, offered or served. */
  private readonly live = new Map<string, string>();
  private readonly tasks = new Set<Promise<unknown>>();
  private readonly overflowTimer: NodeJS.Timeout;

  constructor(
    model: RoutingModel,
    private readonly deps: RoutingEngineDeps,
  ) {
    this.model = model;
    this.dispatcher = new Dispatcher(model);
    this.lifecycle = new HandoffLifecycle(deps);
    deps.connectors.configure(model.connectors);
    this.overflowTimer = setInterval(() => this.spawn(this.overflow()), overflowCheckMs);
    this.overflowTimer.unref();
  }

  get routing(): RoutingModel {
    return this.model;
  }

  setModel(model: RoutingModel): void {
    this.model = model;
    this.dispatcher.setModel(model);
    this.deps.connectors.configure(model.connectors);
    this.deps.hub.changed(null);
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  async escalate({ conversation, queue, context }: HandoffRequest): Promise<EscalationResult> {
    const at = this.now();
    const language = this.deps.bots.language(conversation.botId);
    const channel = workChannel(conversation.channel);
    const masker = this.deps.bots.masker(conversation.botId);
    const decision = route(this.model, routingFacts(conversation, queue, context, language));
    const placed = decision ? place(this.model, decision.queue, channel, at, (q) => this.dispatcher.staffed(q, channel)) : undefined;
    const sentiment = meanSentiment(await this.deps.conversations.turns(conversation.id));
    const record: EscalationRecord = {
      id: randomUUID(),
      conversationId: conversation.id,
      botId: conversation.botId,
      channel: conversation.channel,
      queue: placed?.queue.id ?? queue,
      requestedQueue: queue,
      rule: decision?.rule?.name ?? null,
      status: 'requested',
      historyKey: conversation.historyKey,
      agentId: null,
      connector: placed?.ok ? (placed.connector?.id ?? null) : null,
      context: { ...(masker ? maskContext(masker, conversation, context) : context), sentiment },
      skills: decision?.skills ?? [],
      language: language ?? null,
      disposition: null,
      endReason: null,
      requestedAt: at.toISOString(),
      queuedAt: null,
      offeredAt: null,
      acceptedAt: null,
      connectedAt: null,
      endedAt: null,
      eventCount: 1,
    };
    const detail = { requestedQueue: queue, rule: record.rule, reason: context.reason, ...(placed?.ok && placed.overflowedFrom.length ? { overflowedFrom: placed.overflowedFrom } : {}) };
    await this.deps.stores.escalations.create(record, { escalationId: record.id, seq: 1, kind: 'requested', at: record.requestedAt, agentId: null, queue: record.queue, detail });
    if (!placed?.ok) {
      const endReason = placed?.reason ?? 'no-queue';
      await this.lifecycle.apply(record, [{ kind: 'unavailable', at: at.toISOString(), endReason }]);
      this.deps.logger.info({ conversationId: conversation.id, queue: record.queue, reason: endReason }, 'hand-off unavailable');
      this.spawn(this.lifecycle.publish('escalation.unavailable', record, { reason: endReason }));
      return { type: 'escalationResult', available: false, queue: record.queue, historyKey: conversation.historyKey };
    }
    this.pending.set(conversation.id, record.id);
    this.spawn(this.lifecycle.publish('escalation.requested', record, {}));
    return { type: 'escalationResult', available: true, queue: record.queue, historyKey: conversation.historyKey };
  }

  /** Every saved turn: queues a requested hand-off, forwards the turns to the agent, ends the hand-off when the customer leaves. */
  onTurn(event: TurnEvent): void {
    const c = event.conversation;
    const requested = this.pending.get(c.id);
    if (requested !== undefined) {
      this.pending.delete(c.id);
      if (c.status === 'escalated') {
        this.live.set(c.id, requested);
        this.spawn(this.lock.run(requested, () => this.queue(requested)));
      } else {
        this.spawn(this.finish(requested, { endReason: 'abandoned' }));
      }
    }
    const current = this.live.get(c.id);
    if (current !== undefined) {
      const holder = this.dispatcher.placementOf(current);
      if (holder && holder.state === 'assigned') {
        for (const t of event.turns) this.deps.hub.toAgent(holder.agentId, { type: 'turn', conversationId: c.id, turn: t });
      }
      if (c.status === 'ended') this.spawn(this.finish(current, { endReason: 'customer-left' }));
    }
    if (c.status === 'ended') this.spawn(this.lifecycle.conversationEnded(c));
    this.deps.hub.changed(this.queueOf(c.id));
  }

  private queueOf(conversationId: string): string | null {
    const id = this.live.get(conversationId);
    return (id !== undefined ? this.dispatcher.itemOf(id)?.queue : undefined) ?? null;
  }

  /** The hand-off being served for a conversation, if any. */
  liveEscalationOf(conversationId: string): string | undefined {
    return this.live.get(conversationId);
  }

  private async queue(id: string): Promise<void> {
    const stored = await this.deps.stores.escalations.get(id);
    if (!stored || stored.status !== 'requested') return;
    const at = this.now();
    // the escalating turn is saved now: its sentiment counts too
    const record = { ...stored, context: { ...stored.context, sentiment: meanSentiment(await this.deps.conversations.turns(stored.conversationId)) } };
    if (record.connector !== null) {
      const queued = await this.lifecycle.apply(record, [{ kind: 'queued', at: at.toISOString() }]);
      const connected = await this.lifecycle.handToConnector(queued);
      if (connected.status === 'ended') this.live.delete(record.conversationId);
      return;
    }
    const queued = await this.lifecycle.apply(record, [{ kind: 'queued', at: at.toISOString() }]);
    const offers = this.dispatcher.enqueue(
      {
        escalationId: id,
        conversationId: record.conversationId,
        queue: queued.queue,
        channel: workChannel(queued.channel),
        skills: queued.skills,
        ...(queued.language !== null ? { language: queued.language } : {}),
        since: Date.parse(queued.requestedAt),
      },
      at.getTime(),
    );
    this.deliver(offers);
  }

  /** Persists and sends offers, each under its hand-off's lock, and arms their timeouts. */
  private deliver(offers: Offer[]): void {
    for (const offer of offers) {
      this.spawn(
        this.lock.run(offer.escalationId, async () => {
          const record = await this.deps.stores.escalations.get(offer.escalationId);
          const placement = this.dispatcher.placementOf(offer.escalationId);
          if (!record || record.status !== 'queued' || placement?.state !== 'offered' || placement.agentId !== offer.agentId) return;
          const offered = await this.lifecycle.apply(record, [{ kind: 'offered', at: new Date(offer.offeredAt).toISOString(), agentId: offer.agentId, detail: { expiresAt: new Date(offer.expiresAt).toISOString() } }]);
          this.armTimeout(offer);
          const view = await this.lifecycle.view(offered);
          this.deps.hub.toAgent(offer.agentId, { type: 'offer', offer: { ...view, expiresAt: new Date(offer.expiresAt).toISOString() } });
          this.deps.hub.changed(offer.queue);
        }),
      );
    }
  }

  private armTimeout(offer: Offer): void {
    this.clearTimeout(offer.escalationId);
    const t = setTimeout(() => {
      this.offerTimers.delete(offer.escalationId);
      this.spawn(this.lock.run(offer.escalationId, () => this.release(offer.escalationId, offer.agentId, 'timed-out')));
    }, Math.max(0, offer.expiresAt - offer.offeredAt));
    t.unref();
    this.offerTimers.set(offer.escalationId, t);
  }

  private clearTimeout(id: string): void {
    const t = this.offerTimers.get(id);
    if (t) clearTimeout(t);
    this.offerTimers.delete(id);
  }

  /** Declined or timed out: recorded, withdrawn from the agent, offered to the next one. */
  private async release(id: string, agentId: string, kind: 'declined' | 'timed-out'): Promise<EscalationRecord> {
    const record = await this.deps.stores.escalations.get(id);
    const placement = this.dispatcher.placementOf(id);
    if (!record || record.status !== 'offered' || record.agentId !== agentId || placement?.state !== 'offered' || placement.agentId !== agentId) {
      throw new ParleyError('PARLEY_ERR_CONFLICT', `the hand-off ${id} is not offered to agent ${agentId} (any more)`);
    }
    this.clearTimeout(id);
    const offers = this.dispatcher.decline(id, agentId, this.now().getTime());
    const next = await this.lifecycle.apply(record, [{ kind, at: this.now().toISOString(), agentId }]);
    this.deps.hub.toAgent(agentId, { type: 'offer-withdrawn', escalationId: id, conversationId: record.conversationId, reason: kind });
    this.deliver(offers);
    return next;
  }

  async decline(id: string, agentId: string): Promise<EscalationRecord> {
    return this.lock.run(id, () => this.release(id, agentId, 'declined'));
  }

  /** The agent takes the customer: accepted, then connected (the agent joins the conversation). */
  async accept(id: string, agentId: string): Promise<EscalationRecord> {
    return this.lock.run(id, async () => {
      const record = await this.deps.stores.escalations.get(id);
      if (!record || record.status !== 'offered' || record.agentId !== agentId || !this.dispatcher.accept(id, agentId)) {
        throw new ParleyError('PARLEY_ERR_CONFLICT', `the hand-off ${id} is not offered to you (any more): it may have timed out or been withdrawn`);
      }
      this.clearTimeout(id);
      const at = this.now().toISOString();
      const connected = await this.lifecycle.apply(record, [
        { kind: 'accepted', at, agentId },
        { kind: 'connected', at, agentId },
      ]);
      this.deps.hub.toAgent(agentId, { type: 'assigned', escalationId: id, conversationId: record.conversationId });
      this.deps.hub.changed(record.queue);
      this.spawn(this.lifecycle.publish('escalation.connected', connected, { agentId }));
      return connected;
    });
  }

  /** An agent's transfer to another queue: the customer waits there afresh; the agent's capacity is freed. */
  async transferToQueue(id: string, queueId: string, by: string): Promise<EscalationRecord> {
    const queue = this.model.queues.find((q) => q.id === queueId);
    if (!queue) throw new ParleyError('PARLEY_ERR_BAD_REQUEST', `no queue '${queueId}' (queues: ${this.model.queues.map((q) => q.id).join(', ')})`);
    if (queue.connector !== undefined) throw new ParleyError('PARLEY_ERR_BAD_REQUEST', `queue '${queueId}' is served by a connector; transfer to a queue of Parley's agents`);
    return this.lock.run(id, async () => {
      const record = await this.deps.stores.escalations.get(id);
      if (!record || record.status === 'ended') throw new ParleyError('PARLEY_ERR_CONFLICT', `the hand-off ${id} has ended`);
      const now = this.now();
      const moved = this.dispatcher.move(id, queueId, now.getTime(), { skills: queue.skills });
      const next = await this.lifecycle.apply(record, [{ kind: 'transferred', at: now.toISOString(), queue: queueId, detail: { from: record.queue, by } }]);
      if (moved.releasedAgent) this.deps.hub.toAgent(moved.releasedAgent, { type: 'ended', escalationId: id, conversationId: record.conversationId, reason: 'transferred' });
      this.deliver(moved.offers);
      this.deps.hub.changed(queueId);
      return next;
    });
  }

  /** Ends a hand-off (the agent ended, the customer left, a transfer to a bot); frees the agent for the next customer. */
  async finish(id: string, how: { endReason: string; disposition?: string }): Promise<EscalationRecord | undefined> {
    return this.lock.run(id, async () => {
      const record = await this.deps.stores.escalations.get(id);
      if (!record || record.status === 'ended') return record;
      this.clearTimeout(id);
      const { agentId, offers } = this.dispatcher.release(id, this.now().getTime());
      const step: Advance = { kind: 'ended', at: this.now().toISOString(), endReason: how.endReason, ...(how.disposition !== undefined ? { disposition: how.disposition } : {}) };
      const ended = await this.lifecycle.apply(record, [step]);
      this.live.delete(record.conversationId);
      if (agentId) {
        const frame = record.status === 'offered' ? ({ type: 'offer-withdrawn', escalationId: id, conversationId: record.conversationId, reason: 'customer-left' } as const) : ({ type: 'ended', escalationId: id, conversationId: record.conversationId, reason: how.endReason } as const);
        this.deps.hub.toAgent(agentId, frame);
      }
      this.deliver(offers);
      if (record.connector !== null && how.endReason === 'customer-left') this.spawn(this.lifecycle.hangup(ended));
      this.spawn(this.lifecycle.publish('escalation.ended', ended, { endReason: how.endReason, disposition: how.disposition ?? null }));
      this.deps.hub.changed(record.queue);
      return ended;
    });
  }

  /**
   * For the SIP channel: where to transfer a voice conversation handed to a SIP contact center (or to the
   * channel's own transfer), and the headers that carry the session-history key. Undefined when its current
   * hand-off is not served that way.
   */
  async sipTransferFor(conversationId: string): Promise<SipTransfer | undefined> {
    const list = await this.deps.stores.escalations.forConversation(conversationId);
    const e = list[list.length - 1];
    if (!e || e.connector === null || (e.status !== 'connected' && e.status !== 'queued')) return undefined;
    if (e.connector === channelConnector) return { conversationId, target: null, headers: { [historyKeyHeader]: e.historyKey, 'X-Parley-Queue': e.queue } };
    const connector = this.deps.connectors.get(e.connector);
    const conversation = await this.deps.conversations.get(conversationId);
    if (!(connector instanceof SipTransferConnector) || !conversation) return undefined;
    return connector.transferFor({ escalation: e, conversation, historyUrl: this.deps.historyUrl(e.historyKey) });
  }

  setPresence(agentId: string, presence: Presence): void {
    if (!this.dispatcher.hasAgent(agentId)) {
      throw new ParleyError('PARLEY_ERR_BAD_REQUEST', `agent '${agentId}' is not in the routing model; add it to routing.yaml or PUT /api/routing/agents/${agentId}`);
    }
    this.deliver(this.dispatcher.setPresence(agentId, presence, this.now().getTime()));
    this.deps.hub.toAgent(agentId, { type: 'presence', presence });
    this.deps.hub.changed(null);
  }

  /** Moves customers who waited past their queue's overflow time. */
  private async overflow(): Promise<void> {
    const now = this.now();
    for (const { escalationId, to } of this.dispatcher.overflowDue(now.getTime())) {
      await this.lock.run(escalationId, async () => {
        const record = await this.deps.stores.escalations.get(escalationId);
        if (!record || record.status !== 'queued') return;
        const moved = this.dispatcher.move(escalationId, to, now.getTime(), { keepWait: true });
        await this.lifecycle.apply(record, [{ kind: 'overflowed', at: now.toISOString(), queue: to, detail: { from: record.queue } }]);
        this.deliver(moved.offers);
        this.deps.hub.changed(to);
      });
    }
  }

  /** After a restart: hand-offs still open go back to their queues (offers lapse; held work stays with its agent). */
  async restore(): Promise<void> {
    const open = await this.deps.stores.escalations.list({ statuses: ['requested', 'queued', 'offered', 'accepted', 'connected'] });
    const now = this.now();
    for (let record of open.reverse()) {
      const conversation = await this.deps.conversations.get(record.conversationId);
      if (!conversation || conversation.status !== 'escalated') {
        await this.lifecycle.apply(record, [{ kind: 'ended', at: now.toISOString(), endReason: 'abandoned' }]);
        continue;
      }
      this.live.set(record.conversationId, record.id);
      if (record.status === 'requested') {
        const id = record.id;
        await this.lock.run(id, () => this.queue(id));
        continue;
      }
      if (record.connector !== null) continue;
      if (record.status === 'offered') {
        record = await this.lifecycle.apply(record, [{ kind: 'timed-out', at: now.toISOString(), ...(record.agentId ? { agentId: record.agentId } : {}), detail: { restart: true } }]);
      }
      const item = { escalationId: record.id, conversationId: record.conversationId, queue: record.queue, channel: workChannel(record.channel), skills: record.skills, ...(record.language !== null ? { language: record.language } : {}), since: Date.parse(record.requestedAt) };
      if (record.status !== 'queued' && record.agentId) this.dispatcher.restoreAssigned(item, record.agentId);
      else this.deliver(this.dispatcher.enqueue(item, now.getTime()));
    }
  }

  /** Resolves when the background work started so far (offers, notifications) is done; for tests and shutdown. */
  async settled(): Promise<void> {
    while (this.tasks.size) await Promise.allSettled([...this.tasks]);
  }

  close(): void {
    clearInterval(this.overflowTimer);
    for (const t of this.offerTimers.values()) clearTimeout(t);
    this.offerTimers.clear();
    this.deps.connectors.close();
  }

  private spawn(p: Promise<unknown>): void {
    const tracked = p.catch((err: unknown) => this.deps.logger.error({ err }, 'hand-off task failed'));
    this.tasks.add(tracked);
    void tracked.finally(() => this.tasks.delete(tracked));
  }
}

/** Mean sentiment of the customer's turns; null when none was measured. */
function meanSentiment(turns: TurnRecord[]): number | null {
  const values = turns.filter((t) => t.speaker === 'customer' && t.sentiment !== null).map((t) => t.sentiment as number);
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}
