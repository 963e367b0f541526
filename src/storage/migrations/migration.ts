import type { Kysely } from 'kysely';
import type { ColumnTypes } from './column-types.ts';

/**
 * One step of the schema. Forward-only: a released migration is never edited; a change is a new migration.
 * `name` starts with a zero-padded number (`0002-ivr-apps`) because migrations run in name order.
 */
export interface ParleyMigration {
  readonly name: string;
  up(db: Kysely<unknown>, types: ColumnTypes): Promise<void>;
}
