import type { Kysely } from 'kysely';
import type { ParleyMigration } from './migration.ts';

/**
 * The hand-off to humans (`src/handoff/`): people who sign in and their sessions, escalations with their life
 * cycle, the audit log, survey answers and webhook deliveries. Escalations do not reference `conversations`
 * with a foreign key: a hand-off can be requested in a conversation's first turn, before it is stored.
 */
export const handoffMigration: ParleyMigration = {
  name: '0002-handoff',
  async up(db: Kysely<unknown>, types) {
    await db.schema
      .createTable('people')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('username', 'text', (col) => col.notNull().unique())
      .addColumn('display_name', 'text', (col) => col.notNull())
      .addColumn('role', 'text', (col) => col.notNull())
      .addColumn('password_hash', 'text', (col) => col.notNull())
      .addColumn('agent_id', 'text')
      .addColumn('queues', types.json, (col) => col.notNull())
      .addColumn('created_at', types.timestamp, (col) => col.notNull())
      .addColumn('updated_at', types.timestamp, (col) => col.notNull())
      .execute();

    await db.schema
      .createTable('people_sessions')
      .addColumn('token_hash', 'text', (col) => col.primaryKey())
      .addColumn('person_id', 'text', (col) => col.notNull().references('people.id').onDelete('cascade'))
      .addColumn('created_at', types.timestamp, (col) => col.notNull())
      .addColumn('expires_at', types.timestamp, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('people_sessions_by_expiry').on('people_sessions').columns(['expires_at']).execute();

    await db.schema
      .createTable('escalations')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('conversation_id', 'text', (col) => col.notNull())
      .addColumn('bot_id', 'text', (col) => col.notNull())
      .addColumn('channel', 'text', (col) => col.notNull())
      .addColumn('queue', 'text', (col) => col.notNull())
      .addColumn('requested_queue', 'text', (col) => col.notNull())
      .addColumn('rule', 'text')
      .addColumn('status', 'text', (col) => col.notNull())
      .addColumn('history_key', 'text', (col) => col.notNull())
      .addColumn('agent_id', 'text')
      .addColumn('connector', 'text')
      .addColumn('context', types.json, (col) => col.notNull())
      .addColumn('skills', types.json, (col) => col.notNull())
      .addColumn('language', 'text')
      .addColumn('disposition', 'text')
      .addColumn('end_reason', 'text')
      .addColumn('requested_at', types.timestamp, (col) => col.notNull())
      .addColumn('queued_at', types.timestamp)
      .addColumn('offered_at', types.timestamp)
      .addColumn('accepted_at', types.timestamp)
      .addColumn('connected_at', types.timestamp)
      .addColumn('ended_at', types.timestamp)
      .addColumn('event_count', 'integer', (col) => col.notNull())
      .execute();
    await db.schema.createIndex('escalations_by_conversation').on('escalations').columns(['conversation_id', 'requested_at']).execute();
    await db.schema.createIndex('escalations_by_status').on('escalations').columns(['status', 'requested_at']).execute();
    await db.schema.createIndex('escalations_by_requested').on('escalations').columns(['requested_at']).execute();

    await db.schema
      .createTable('escalation_events')
      .addColumn('escalation_id', 'text', (col) => col.notNull().references('escalations.id').onDelete('cascade'))
      .addColumn('seq', 'integer', (col) => col.notNull())
      .addColumn('kind', 'text', (col) => col.notNull())
      .addColumn('at', types.timestamp, (col) => col.notNull())
      .addColumn('agent_id', 'text')
      .addColumn('queue', 'text')
      .addColumn('detail', types.json)
      .addPrimaryKeyConstraint('escalation_events_pk', ['escalation_id', 'seq'])
      .execute();

    await db.schema
      .createTable('audit_log')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('at', types.timestamp, (col) => col.notNull())
      .addColumn('actor', 'text', (col) => col.notNull())
      .addColumn('role', 'text', (col) => col.notNull())
      .addColumn('action', 'text', (col) => col.notNull())
      .addColumn('conversation_id', 'text')
      .addColumn('detail', types.json)
      .execute();
    await db.schema.createIndex('audit_log_by_conversation').on('audit_log').columns(['conversation_id', 'at']).execute();
    await db.schema.createIndex('audit_log_by_time').on('audit_log').columns(['at']).execute();

    await db.schema
      .createTable('survey_answers')
      .addColumn('conversation_id', 'text', (col) => col.notNull())
      .addColumn('bot_id', 'text', (col) => col.notNull())
      .addColumn('answers', types.json, (col) => col.notNull())
      .addColumn('at', types.timestamp, (col) => col.notNull())
      .addPrimaryKeyConstraint('survey_answers_pk', ['conversation_id', 'bot_id'])
      .execute();

    await db.schema
      .createTable('webhook_deliveries')
      .addColumn('connector', 'text', (col) => col.notNull())
      .addColumn('event_id', 'text', (col) => col.notNull())
      .addColumn('type', 'text', (col) => col.notNull())
      .addColumn('payload', types.json, (col) => col.notNull())
      .addColumn('status', 'text', (col) => col.notNull())
      .addColumn('attempts', 'integer', (col) => col.notNull())
      .addColumn('created_at', types.timestamp, (col) => col.notNull())
      .addColumn('updated_at', types.timestamp, (col) => col.notNull())
      .addPrimaryKeyConstraint('webhook_deliveries_pk', ['connector', 'event_id'])
      .execute();
  },
};
