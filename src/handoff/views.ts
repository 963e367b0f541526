import type { ConversationRecord, TurnRecord } from '../storage/port.ts';
import type { EscalationEvent, EscalationRecord } from './escalation.ts';

/** How the API and the live frames show a hand-off, its events, its turns and an offer. */

export function escalationView(e: EscalationRecord) {
  return {
    id: e.id,
    conversationId: e.conversationId,
    botId: e.botId,
    channel: e.channel,
    queue: e.queue,
    requestedQueue: e.requestedQueue,
    rule: e.rule,
    status: e.status,
    historyKey: e.historyKey,
    agentId: e.agentId,
    connector: e.connector,
    reason: e.context.reason,
    message: e.context.message ?? null,
    sentiment: e.context.sentiment,
    disposition: e.disposition,
    endReason: e.endReason,
    requestedAt: e.requestedAt,
    queuedAt: e.queuedAt,
    offeredAt: e.offeredAt,
    acceptedAt: e.acceptedAt,
    connectedAt: e.connectedAt,
    endedAt: e.endedAt,
  };
}

export type EscalationView = ReturnType<typeof escalationView>;

export function eventView(e: EscalationEvent) {
  return { seq: e.seq, kind: e.kind, at: e.at, agentId: e.agentId, queue: e.queue, detail: e.detail };
}

export function turnView(t: TurnRecord) {
  return { seq: t.seq, speaker: t.speaker, text: t.text, at: t.at, intent: t.intent, confidence: t.confidence, sentiment: t.sentiment, entities: t.entities };
}

/** What an agent needs to take a customer: the bot's transcript, the intent, the captured data, the note for the agent. */
export function handoffView(e: EscalationRecord, c: ConversationRecord | undefined, turns: TurnRecord[]) {
  return {
    escalation: escalationView(e),
    conversation: {
      id: e.conversationId,
      botId: e.botId,
      channel: e.channel,
      customer: c?.customer ?? null,
      status: c?.status ?? null,
      startedAt: c?.startedAt ?? null,
      historyKey: e.historyKey,
      intent: e.context.intent ?? null,
      entities: e.context.entities,
      variables: e.context.variables,
      transferInfo: e.context.transferInfo,
      turns: turns.map(turnView),
    },
  };
}

export type HandoffView = ReturnType<typeof handoffView>;
