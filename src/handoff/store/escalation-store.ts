import type { Kysely } from 'kysely';
import type { Channel } from '../../core/bot.ts';
import { ParleyError } from '../../errors.ts';
import type { Database } from '../../storage/database-schema.ts';
import { storableJson } from '../../storage/storable-text.ts';
import { storedTimestamp } from '../../storage/row-codec.ts';
import type { StorageGuard } from '../../storage/storage-guard.ts';
import type { EscalationEvent, EscalationEventKind, EscalationRecord, EscalationStatus, HandoffContext } from '../escalation.ts';
import type { EscalationFilter, EscalationStore } from './ports.ts';
import type { EscalationEventsTable, EscalationsTable, HandoffTables } from './tables.ts';

type Db = Kysely<Database & HandoffTables>;

const ts = (v: string | null, field: string) => (v === null ? null : storedTimestamp(v, field));

function toRow(r: EscalationRecord): EscalationsTable {
  return {
    id: r.id,
    conversation_id: r.conversationId,
    bot_id: r.botId,
    channel: r.channel,
    queue: r.queue,
    requested_queue: r.requestedQueue,
    rule: r.rule,
    status: r.status,
    history_key: r.historyKey,
    agent_id: r.agentId,
    connector: r.connector,
    context: storableJson(r.context),
    skills: storableJson(r.skills),
    language: r.language,
    disposition: r.disposition,
    end_reason: r.endReason,
    requested_at: storedTimestamp(r.requestedAt, 'requestedAt'),
    queued_at: ts(r.queuedAt, 'queuedAt'),
    offered_at: ts(r.offeredAt, 'offeredAt'),
    accepted_at: ts(r.acceptedAt, 'acceptedAt'),
    connected_at: ts(r.connectedAt, 'connectedAt'),
    ended_at: ts(r.endedAt, 'endedAt'),
    event_count: r.eventCount,
  };
}

function fromRow(r: EscalationsTable): EscalationRecord {
  return {
    id: r.id,
    conversationId: r.conversation_id,
    botId: r.bot_id,
    channel: r.channel as Channel,
    queue: r.queue,
    requestedQueue: r.requested_queue,
    rule: r.rule,
    status: r.status as EscalationStatus,
    historyKey: r.history_key,
    agentId: r.agent_id,
    connector: r.connector,
    context: JSON.parse(r.context) as HandoffContext,
    skills: JSON.parse(r.skills) as string[],
    language: r.language,
    disposition: r.disposition,
    endReason: r.end_reason,
    requestedAt: r.requested_at,
    queuedAt: r.queued_at,
    offeredAt: r.offered_at,
    acceptedAt: r.accepted_at,
    connectedAt: r.connected_at,
    endedAt: r.ended_at,
    eventCount: r.event_count,
  };
}

function eventRow(e: EscalationEvent): EscalationEventsTable {
  return {
    escalation_id: e.escalationId,
    seq: e.seq,
    kind: e.kind,
    at: storedTimestamp(e.at, 'at'),
    agent_id: e.agentId,
    queue: e.queue,
    detail: e.detail === null ? null : storableJson(e.detail),
  };
}

export class KyselyEscalationStore implements EscalationStore {
  constructor(
    private readonly db: Db,
    private readonly guard: StorageGuard,
  ) {}

  create(record: EscalationRecord, event: EscalationEvent): Promise<void> {
    return this.guard.run('create hand-off', async () => {
      await this.db.transaction().execute(async (trx) => {
        await trx.insertInto('escalations').values(toRow(record)).execute();
        await trx.insertInto('escalation_events').values(eventRow(event)).execute();
      });
    });
  }

  update(record: EscalationRecord, events: EscalationEvent[]): Promise<void> {
    return this.guard.run('save hand-off', async () => {
      const { id, ...row } = toRow(record);
      await this.db.transaction().execute(async (trx) => {
        const r = await trx
          .updateTable('escalations')
          .set(row)
          .where('id', '=', id)
          .where('event_count', '=', record.eventCount - events.length)
          .executeTakeFirst();
        if (r.numUpdatedRows === 0n) {
          throw new ParleyError('PARLEY_ERR_CONFLICT', `the hand-off ${id} was changed meanwhile or does not exist`);
        }
        if (events.length) await trx.insertInto('escalation_events').values(events.map(eventRow)).execute();
      });
    });
  }

  get(id: string): Promise<EscalationRecord | undefined> {
    return this.guard.run('get hand-off', async () => {
      const r = await this.db.selectFrom('escalations').selectAll().where('id', '=', id).executeTakeFirst();
      return r && fromRow(r);
    });
  }

  forConversation(conversationId: string): Promise<EscalationRecord[]> {
    return this.guard.run('list hand-offs', async () => {
      const rows = await this.db
        .selectFrom('escalations')
        .selectAll()
        .where('conversation_id', '=', conversationId)
        .orderBy('requested_at')
        .orderBy('id')
        .execute();
      return rows.map(fromRow);
    });
  }

  events(id: string): Promise<EscalationEvent[]> {
    return this.guard.run('read hand-off events', async () => {
      const rows = await this.db.selectFrom('escalation_events').selectAll().where('escalation_id', '=', id).orderBy('seq').execute();
      return rows.map((r) => ({
        escalationId: r.escalation_id,
        seq: r.seq,
        kind: r.kind as EscalationEventKind,
        at: r.at,
        agentId: r.agent_id,
        queue: r.queue,
        detail: r.detail === null ? null : (JSON.parse(r.detail) as Record<string, unknown>),
      }));
    });
  }

  list(filter: EscalationFilter): Promise<EscalationRecord[]> {
    return this.guard.run('list hand-offs', async () => {
      let q = this.db.selectFrom('escalations').selectAll();
      if (filter.statuses?.length) q = q.where('status', 'in', filter.statuses);
      if (filter.from !== undefined) q = q.where('requested_at', '>=', storedTimestamp(filter.from, 'from'));
      if (filter.to !== undefined) q = q.where('requested_at', '<', storedTimestamp(filter.to, 'to'));
      const rows = await q
        .orderBy('requested_at', 'desc')
        .orderBy('id', 'desc')
        .limit(Math.min(Math.max(filter.limit ?? 10_000, 1), 100_000))
        .execute();
      return rows.map(fromRow);
    });
  }
}
