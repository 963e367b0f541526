import type { Kysely } from 'kysely';
import type { ParleyMigration } from './migration.ts';

/**
 * The VoiceXML IVR channel (`src/channels/voicexml/apps/`): the apps an IVR authenticates as (client id and
 * the client secret, encrypted with the server's secret key), and whether a bot's IVR channel is enabled.
 * Flags are integers (1/0) so both dialects read them the same way.
 */
export const ivrAppsMigration: ParleyMigration = {
  name: '0003-ivr-apps',
  async up(db: Kysely<unknown>, types) {
    await db.schema
      .createTable('ivr_apps')
      .addColumn('client_id', 'text', (col) => col.primaryKey())
      .addColumn('bot_id', 'text', (col) => col.notNull())
      .addColumn('name', 'text')
      .addColumn('secret', 'text', (col) => col.notNull())
      .addColumn('enabled', 'integer', (col) => col.notNull())
      .addColumn('created_at', types.timestamp, (col) => col.notNull())
      .addColumn('updated_at', types.timestamp, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('ivr_apps_by_bot').on('ivr_apps').columns(['bot_id', 'created_at']).execute();

    await db.schema
      .createTable('ivr_channels')
      .addColumn('bot_id', 'text', (col) => col.primaryKey())
      .addColumn('enabled', 'integer', (col) => col.notNull())
      .addColumn('updated_at', types.timestamp, (col) => col.notNull())
      .execute();
  },
};
