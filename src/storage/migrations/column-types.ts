import type { ColumnDataType } from 'kysely';

/**
 * The few column types that differ between the dialects. Migrations take them as a parameter so one migration
 * set serves both: JSON is `jsonb` on PostgreSQL and text on SQLite; timestamps are `timestamptz` on
 * PostgreSQL and ISO 8601 text on SQLite (always written in the canonical UTC form, so text order is time
 * order).
 */
export interface ColumnTypes {
  readonly json: ColumnDataType;
  readonly timestamp: ColumnDataType;
}

export const sqliteColumnTypes: ColumnTypes = { json: 'text', timestamp: 'text' };

export const postgresColumnTypes: ColumnTypes = { json: 'jsonb', timestamp: 'timestamptz' };
