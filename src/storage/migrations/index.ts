import type { ParleyMigration } from './migration.ts';
import { conversationsMigration } from './0001-conversations.ts';
import { handoffMigration } from './0002-handoff.ts';
import { ivrAppsMigration } from './0003-ivr-apps.ts';

/**
 * Every migration, in order. To change the schema, add `NNNN-what.ts` beside this file (copy the shape of
 * 0001) and append it here; `openStorage` applies pending ones at start on both dialects.
 */
export const migrations: readonly ParleyMigration[] = [conversationsMigration, handoffMigration, ivrAppsMigration];
