import type { Kysely } from 'kysely';
import type { ParleyMigration } from './migration.ts';

/** Conversations, their turns (the transcript) and the `user.` variables kept across conversations. */
export const conversationsMigration: ParleyMigration = {
  name: '0001-conversations',
  async up(db: Kysely<unknown>, types) {
    await db.schema
      .createTable('conversations')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('bot_id', 'text', (col) => col.notNull())
      .addColumn('channel', 'text', (col) => col.notNull())
      .addColumn('status', 'text', (col) => col.notNull())
      .addColumn('outcome', 'text')
      .addColumn('customer', 'text')
      .addColumn('started_at', types.timestamp, (col) => col.notNull())
      .addColumn('updated_at', types.timestamp, (col) => col.notNull())
      .addColumn('ended_at', types.timestamp)
      .addColumn('history_key', 'text', (col) => col.notNull().unique())
      .addColumn('state', types.json, (col) => col.notNull())
      .addColumn('turn_count', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('version', 'integer', (col) => col.notNull())
      .execute();

    // `list` orders by (started_at, id) newest first, optionally filtered; one index per filter, scanned backwards.
    await db.schema.createIndex('conversations_by_started').on('conversations').columns(['started_at', 'id']).execute();
    for (const column of ['bot_id', 'channel', 'status']) {
      await db.schema
        .createIndex(`conversations_by_${column}`)
        .on('conversations')
        .columns([column, 'started_at', 'id'])
        .execute();
    }

    await db.schema
      .createTable('turns')
      .addColumn('conversation_id', 'text', (col) => col.notNull().references('conversations.id').onDelete('cascade'))
      .addColumn('seq', 'integer', (col) => col.notNull())
      .addColumn('speaker', 'text', (col) => col.notNull())
      .addColumn('text', 'text', (col) => col.notNull())
      .addColumn('channel', 'text', (col) => col.notNull())
      .addColumn('intent', 'text')
      .addColumn('confidence', 'double precision')
      .addColumn('entities', types.json)
      .addColumn('sentiment', 'double precision')
      .addColumn('at', types.timestamp, (col) => col.notNull())
      .addPrimaryKeyConstraint('turns_pk', ['conversation_id', 'seq'])
      .execute();

    await db.schema
      .createTable('user_variables')
      .addColumn('bot_id', 'text', (col) => col.notNull())
      .addColumn('user_id', 'text', (col) => col.notNull())
      .addColumn('variables', types.json, (col) => col.notNull())
      .addColumn('updated_at', types.timestamp, (col) => col.notNull())
      .addPrimaryKeyConstraint('user_variables_pk', ['bot_id', 'user_id'])
      .execute();
  },
};
