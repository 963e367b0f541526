import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './database-schema.ts';
import type { StorageLogger } from './storage-logger.ts';

export interface PostgresOptions {
  /** Connections in the pool; default 10. */
  poolSize?: number;
  /** How long to wait for a connection before failing; default 5000. */
  connectTimeoutMs?: number;
  logger?: StorageLogger;
}

/**
 * A pool on `url` whose rows come back in the shapes of `database-schema.ts`: `timestamptz` as ISO 8601
 * strings, `json`/`jsonb` as JSON text (parsed in one place for both dialects).
 */
export function createPostgresDatabase(url: string, options: PostgresOptions = {}): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    types: { getTypeParser: typeParser as typeof pg.types.getTypeParser },
  });
  // Without a listener, a connection dropped while idle (server restart) would crash the process.
  pool.on('error', (error) => {
    options.logger?.warn({ err: { message: error.message, code: (error as { code?: unknown }).code } }, 'idle PostgreSQL connection failed');
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/** The schema unqualified names resolve to; undefined when `search_path` names no existing schema. */
export async function currentSchema(db: Kysely<Database>): Promise<string | undefined> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema ?? undefined;
}

const timestamptzOid = 1184;
const jsonOids = new Set([114, 3802]);
const parseTimestamptz = pg.types.getTypeParser(timestamptzOid, 'text') as (value: string) => Date;
const identity = (value: string): string => value;

function typeParser(oid: number, format?: 'text' | 'binary'): unknown {
  if (format === undefined || format === 'text') {
    if (oid === timestamptzOid) return (value: string) => parseTimestamptz(value).toISOString();
    if (jsonOids.has(oid)) return identity;
  }
  return format === undefined ? pg.types.getTypeParser(oid) : pg.types.getTypeParser(oid, format);
}
