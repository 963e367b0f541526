import type { Logger } from 'pino';
import type { ConversationRecord, ConversationStore } from '../storage/port.ts';
import type { ConnectorSet } from './connectors/connector-set.ts';
import type { HandoffEventType } from './connectors/port.ts';
import { advance, type Advance, type EscalationRecord } from './escalation.ts';
import type { HandoffStores } from './store/ports.ts';
import { escalationView, handoffView, type HandoffView } from './views.ts';

/** Stores life-cycle steps and tells the external contact centers about them. */
export class HandoffLifecycle {
  constructor(
    private readonly deps: {
      stores: HandoffStores;
      conversations: ConversationStore;
      connectors: ConnectorSet;
      logger: Logger;
      historyUrl(historyKey: string): string;
      now?: () => Date;
    },
  ) {}

  /** Applies steps in order and stores them in one transaction; the new record. */
  async apply(record: EscalationRecord, steps: Advance[]): Promise<EscalationRecord> {
    let current = record;
    const events = [];
    for (const step of steps) {
      const r = advance(current, step);
      current = r.record;
      events.push(r.event);
    }
    await this.deps.stores.escalations.update(current, events);
    return current;
  }

  /** The offer view: the hand-off with the conversation's transcript as stored now. */
  async view(record: EscalationRecord): Promise<HandoffView> {
    const [conversation, turns] = await Promise.all([this.deps.conversations.get(record.conversationId), this.deps.conversations.turns(record.conversationId)]);
    return handoffView(record, conversation, turns);
  }

  /** A queue served by a connector: hand the customer over, and record whether it worked. */
  async handToConnector(record: EscalationRecord): Promise<EscalationRecord> {
    const at = () => (this.deps.now?.() ?? new Date()).toISOString();
    if (record.connector === 'channel') return this.apply(record, [{ kind: 'connected', at: at(), detail: { by: 'channel' } }]);
    const connector = record.connector === null ? undefined : this.deps.connectors.get(record.connector);
    const conversation = await this.deps.conversations.get(record.conversationId);
    if (!connector || !conversation) return this.apply(record, [{ kind: 'ended', at: at(), endReason: 'connector-missing' }]);
    try {
      const detail = await connector.transfer({ escalation: record, conversation, historyUrl: this.deps.historyUrl(record.historyKey) });
      return await this.apply(record, [
        { kind: 'signalled', at: at(), detail: { connector: connector.id, ...detail } },
        { kind: 'connected', at: at() },
      ]);
    } catch (err) {
      this.deps.logger.error({ err, connector: connector.id, escalationId: record.id }, 'hand-off to the contact center failed');
      return this.apply(record, [
        { kind: 'signalled', at: at(), detail: { connector: connector.id, error: err instanceof Error ? err.message : String(err) } },
        { kind: 'ended', at: at(), endReason: 'connector-failed' },
      ]);
    }
  }

  /** The customer of an externally served hand-off hung up: tell its contact center (CXone: `p1=hangup`). */
  async hangup(record: EscalationRecord): Promise<void> {
    const connector = record.connector === null ? undefined : this.deps.connectors.get(record.connector);
    const conversation = await this.deps.conversations.get(record.conversationId);
    if (!connector || !conversation) return;
    await connector.hangup({ escalation: record, conversation, historyUrl: this.deps.historyUrl(record.historyKey) });
  }

  /** A life-cycle event to every connector; the event id is stable, so raising it again delivers nothing new. */
  async publish(type: HandoffEventType, record: EscalationRecord, extra: Record<string, unknown>): Promise<void> {
    const at = (this.deps.now?.() ?? new Date()).toISOString();
    await this.deps.connectors.notify({
      id: `${record.id}:${type}`,
      type,
      at,
      data: { escalation: escalationView(record), context: record.context, historyUrl: this.deps.historyUrl(record.historyKey), ...extra },
    });
  }

  async conversationEnded(c: ConversationRecord): Promise<void> {
    await this.deps.connectors.notify({
      id: `${c.id}:conversation.ended`,
      type: 'conversation.ended',
      at: c.endedAt ?? (this.deps.now?.() ?? new Date()).toISOString(),
      data: { conversationId: c.id, botId: c.botId, channel: c.channel, outcome: c.outcome, startedAt: c.startedAt, endedAt: c.endedAt, historyKey: c.historyKey },
    });
  }
}
