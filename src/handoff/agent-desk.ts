import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { ParleyError } from '../errors.ts';
import type { Presence } from '../routing/model.ts';
import { surveyFor } from '../routing/rules.ts';
import type { ConversationService, TurnResult } from '../runtime/conversation-service.ts';
import type { ConversationStore } from '../storage/port.ts';
import { maySeeHandoff } from './auth/access.ts';
import type { Principal } from './auth/people-service.ts';
import type { EscalationRecord } from './escalation.ts';
import type { RoutingEngine } from './routing-engine.ts';
import type { HandoffStores } from './store/ports.ts';
import { handoffView, type HandoffView } from './views.ts';

export interface DeskState {
  presence: Presence;
  offers: HandoffView[];
  conversations: HandoffView[];
  /** Where the agent may transfer a customer: queues of Parley's agents, and bots. */
  transferTargets: { queues: Array<{ id: string; name: string }>; bots: string[] };
  /** Suggested wrap-up dispositions (any short text is accepted). */
  dispositions: string[];
}

export const defaultDispositions = ['resolved', 'follow-up needed', 'not resolved', 'wrong queue'];

/**
 * What people do with handed-over conversations, each action checked against who they are and written to the
 * audit log: agents set their presence, accept or decline offers, chat, transfer and end with a disposition.
 */
export class AgentDesk {
  constructor(
    private readonly deps: {
      engine: RoutingEngine;
      service: ConversationService;
      stores: HandoffStores;
      conversations: ConversationStore;
      logger: Logger;
      now?: () => Date;
    },
  ) {}

  private now(): string {
    return (this.deps.now?.() ?? new Date()).toISOString();
  }

  /** Appends to the audit log; every action on a conversation goes through here. */
  async audit(p: Principal, action: string, conversationId: string | null, detail: Record<string, unknown> | null = null): Promise<void> {
    await this.deps.stores.audit.append({ id: randomUUID(), at: this.now(), actor: p.id, role: p.role, action, conversationId, detail });
  }

  private agentOf(p: Principal): string {
    if (p.agentId === null) throw new ParleyError('PARLEY_ERR_FORBIDDEN', `${p.username} is not an agent (no agent profile)`);
    return p.agentId;
  }

  async setPresence(p: Principal, presence: Presence): Promise<void> {
    this.deps.engine.setPresence(this.agentOf(p), presence);
    await this.audit(p, 'presence.set', null, { presence });
  }

  /** The agent's presence, open offers and the conversations they hold. */
  async state(p: Principal): Promise<DeskState> {
    const agentId = this.agentOf(p);
    const snapshot = this.deps.engine.dispatcher.agentSnapshot().find((a) => a.id === agentId);
    const offers: HandoffView[] = [];
    const conversations: HandoffView[] = [];
    for (const id of snapshot?.work ?? []) {
      const record = await this.deps.stores.escalations.get(id);
      if (!record || record.agentId !== agentId) continue;
      const view = await this.deps.engine.lifecycle.view(record);
      if (record.status === 'offered') offers.push(view);
      else if (record.status === 'accepted' || record.status === 'connected') conversations.push(view);
    }
    const model = this.deps.engine.routing;
    return {
      presence: this.deps.engine.dispatcher.presenceOf(agentId),
      offers,
      conversations,
      transferTargets: { queues: model.queues.filter((q) => q.connector === undefined).map((q) => ({ id: q.id, name: q.name })), bots: model.bots.map((b) => b.id) },
      dispositions: defaultDispositions,
    };
  }

  async accept(p: Principal, escalationId: string): Promise<HandoffView> {
    const record = await this.deps.engine.accept(escalationId, this.agentOf(p));
    await this.audit(p, 'offer.accept', record.conversationId, { escalationId });
    return this.deps.engine.lifecycle.view(record);
  }

  async decline(p: Principal, escalationId: string): Promise<void> {
    const record = await this.deps.engine.decline(escalationId, this.agentOf(p));
    await this.audit(p, 'offer.decline', record.conversationId, { escalationId });
  }

  /** A handed-over conversation with its transcript, for those allowed to see it. */
  async conversation(p: Principal, conversationId: string): Promise<HandoffView & { escalations: EscalationRecord[] }> {
    const escalations = await this.visibleEscalations(p, conversationId);
    const last = escalations[escalations.length - 1] as EscalationRecord;
    const [conversation, turns] = await Promise.all([this.deps.conversations.get(conversationId), this.deps.conversations.turns(conversationId)]);
    await this.audit(p, 'conversation.view', conversationId, null);
    return { ...handoffView(last, conversation, turns), escalations };
  }

  /** The hand-offs of a conversation, if this person may see it; PARLEY_ERR_FORBIDDEN or NOT_FOUND otherwise. */
  async visibleEscalations(p: Principal, conversationId: string): Promise<EscalationRecord[]> {
    const escalations = await this.deps.stores.escalations.forConversation(conversationId);
    if (escalations.length === 0) throw new ParleyError('PARLEY_ERR_NOT_FOUND', `conversation '${conversationId}' was never handed over`);
    const events = (await Promise.all(escalations.map((e) => this.deps.stores.escalations.events(e.id)))).flat();
    if (!maySeeHandoff(p, escalations, events)) {
      throw new ParleyError('PARLEY_ERR_FORBIDDEN', 'this conversation was not offered to you and is not in your queues');
    }
    return escalations;
  }

  /** The hand-off this person serves in the conversation (agents: their own; supervisors and admins: any they may see). */
  private async held(p: Principal, conversationId: string): Promise<EscalationRecord> {
    const escalations = await this.visibleEscalations(p, conversationId);
    const live = escalations.filter((e) => e.status === 'connected' || e.status === 'accepted' || e.status === 'queued' || e.status === 'offered');
    const mine = live.find((e) => (p.role === 'agent' ? e.agentId === p.agentId && e.status === 'connected' : true));
    if (!mine) throw new ParleyError('PARLEY_ERR_CONFLICT', 'you are not connected to this conversation (accept its offer first)');
    return mine;
  }

  async message(p: Principal, conversationId: string, text: string): Promise<void> {
    const e = await this.held(p, conversationId);
    if (e.status !== 'connected') throw new ParleyError('PARLEY_ERR_CONFLICT', 'no agent is connected to this conversation yet');
    await this.deps.service.postAgentMessage(conversationId, e.agentId ?? p.id, text);
    await this.audit(p, 'message.send', conversationId, { escalationId: e.id, length: text.length });
  }

  /** To another queue of agents, or to a bot other than the one that escalated. */
  async transfer(p: Principal, conversationId: string, to: { queue: string } | { bot: string }): Promise<{ escalation?: EscalationRecord; turn?: TurnResult }> {
    const e = await this.held(p, conversationId);
    if ('queue' in to) {
      const escalation = await this.deps.engine.transferToQueue(e.id, to.queue, p.id);
      await this.audit(p, 'conversation.transfer', conversationId, { escalationId: e.id, queue: to.queue });
      return { escalation };
    }
    if (to.bot === e.botId) throw new ParleyError('PARLEY_ERR_BAD_REQUEST', `bot '${to.bot}' handed this conversation over; transfer to another bot`);
    await this.deps.engine.finish(e.id, { endReason: 'transferred-to-bot', disposition: `bot:${to.bot}` });
    const turn = await this.deps.service.transferToBot(conversationId, to.bot);
    await this.audit(p, 'conversation.transfer', conversationId, { escalationId: e.id, bot: to.bot });
    return { turn };
  }

  /** Ends the conversation with a wrap-up disposition, or hands the customer to a survey bot when a survey rule says so. */
  async end(p: Principal, conversationId: string, disposition: string): Promise<{ survey?: string }> {
    const e = await this.held(p, conversationId);
    await this.deps.engine.finish(e.id, { endReason: 'agent', disposition });
    const conversation = await this.deps.conversations.get(conversationId);
    const survey = conversation
      ? surveyFor(this.deps.engine.routing, {
          channel: conversation.channel,
          bot: e.botId,
          ...(e.context.intent !== undefined ? { intent: e.context.intent } : {}),
          entities: e.context.entities,
          context: conversation.state.vars.session,
          session: conversation.state.vars.session,
          user: conversation.state.vars.user,
          customer: conversation.customer !== null ? { id: conversation.customer } : {},
          queue: e.queue,
          escalated: true,
          disposition,
        })
      : undefined;
    if (survey && survey.bot !== e.botId) {
      await this.deps.service.transferToBot(conversationId, survey.bot, { survey: { of: e.id, disposition } });
      await this.audit(p, 'conversation.end', conversationId, { escalationId: e.id, disposition, survey: survey.bot });
      return { survey: survey.bot };
    }
    await this.deps.service.endByAgent(conversationId, disposition);
    await this.audit(p, 'conversation.end', conversationId, { escalationId: e.id, disposition });
    return {};
  }
}
