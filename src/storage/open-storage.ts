import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Kysely } from 'kysely';
import { ParleyError } from '../errors.ts';
import type { Database } from './database-schema.ts';
import { createKyselyStorage } from './kysely-storage.ts';
import { postgresColumnTypes, sqliteColumnTypes, type ColumnTypes } from './migrations/column-types.ts';
import { migrations } from './migrations/index.ts';
import { runMigrations } from './migrations/run-migrations.ts';
import type { Storage } from './port.ts';
import { createPostgresDatabase, currentSchema } from './postgres-database.ts';
import { SqliteConversationWrites } from './sqlite-conversation-writes.ts';
import { acquireSqliteDatabase, type SharedSqliteDatabase } from './sqlite-database.ts';
import { errorCode } from './storage-errors.ts';
import type { StorageLogger } from './storage-logger.ts';
import { resolveStorageTarget } from './storage-url.ts';

export interface StorageConfig {
  /** `postgres://…` for PostgreSQL; `sqlite:<path>` or nothing for SQLite (see `storage-url.ts`). */
  url?: string;
  /** Where the default SQLite file `parley.db` lives; default `./data`, created if missing. */
  dataDir?: string;
  logger?: StorageLogger;
  /** PostgreSQL connections in the pool; default 10. */
  poolSize?: number;
  /** How long to wait for a PostgreSQL connection; default 5000. */
  connectTimeoutMs?: number;
}

/**
 * Opens the configured database and brings its schema up to date. Throws PARLEY_ERR_CONFIG for a URL Parley
 * cannot use and PARLEY_ERR_STORAGE, saying what to do, when the database cannot be opened or migrated.
 */
export async function openStorage(config: StorageConfig = {}): Promise<Storage> {
  const target = resolveStorageTarget(config);
  const { logger } = config;
  if (target.kind === 'sqlite') {
    let sqlite: SharedSqliteDatabase;
    try {
      if (target.file !== ':memory:') mkdirSync(dirname(target.file), { recursive: true });
      sqlite = acquireSqliteDatabase(target.file, logger);
    } catch (error) {
      throw new ParleyError('PARLEY_ERR_STORAGE', sqliteOpenMessage(target.file, error), { cause: error });
    }
    try {
      await migrate(sqlite.db, sqliteColumnTypes, undefined, `the SQLite database ${target.file}`, logger);
    } catch (error) {
      await sqlite.release();
      throw error;
    }
    logger?.info({ storage: 'sqlite', file: target.file }, 'storage opened');
    const writes = new SqliteConversationWrites(sqlite.db, sqlite.raw, { onCommit: () => sqlite.checkpointer?.noteCommit() });
    const removeGate = sqlite.checkpointer?.addGate(writes);
    const release = async (): Promise<void> => {
      removeGate?.();
      await writes.close();
      await sqlite.release();
    };
    return createKyselyStorage('sqlite', sqlite.db, release, writes);
  }

  const db = createPostgresDatabase(target.url, {
    ...(config.poolSize === undefined ? {} : { poolSize: config.poolSize }),
    ...(config.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: config.connectTimeoutMs }),
    ...(logger === undefined ? {} : { logger }),
  });
  let schema: string | undefined;
  try {
    schema = await currentSchema(db);
  } catch (error) {
    await db.destroy();
    const retryable = !['3D000', '28P01', '28000'].includes(errorCode(error) ?? '');
    throw new ParleyError('PARLEY_ERR_STORAGE', postgresOpenMessage(target.display, error), { cause: error, retryable });
  }
  if (schema === undefined) {
    await db.destroy();
    throw new ParleyError(
      'PARLEY_ERR_CONFIG',
      `no schema of the search_path exists in PostgreSQL at ${target.display}: create the schema, or fix the search_path option of the storage URL`,
    );
  }
  try {
    await migrate(db, postgresColumnTypes, schema, `PostgreSQL at ${target.display} (schema ${schema})`, logger);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  logger?.info({ storage: 'postgres', database: target.display, schema }, 'storage opened');
  return createKyselyStorage('postgres', db);
}

async function migrate(
  db: Kysely<Database>,
  types: ColumnTypes,
  schema: string | undefined,
  where: string,
  logger: StorageLogger | undefined,
): Promise<void> {
  let applied: string[];
  try {
    applied = await runMigrations(db as Kysely<unknown>, migrations, types, schema === undefined ? {} : { schema });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : '';
    throw new ParleyError(
      'PARLEY_ERR_STORAGE',
      `could not bring ${where} up to date: ${error instanceof Error ? error.message : String(error)}` +
        `${cause === '' ? '' : ` (${cause})`}; check that the database user may create tables, and that no newer Parley version migrated this database`,
      { cause: error },
    );
  }
  if (applied.length > 0) logger?.info({ migrations: applied }, 'storage migrations applied');
}

function sqliteOpenMessage(file: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (errorCode(error) === 'SQLITE_NOTADB') {
    return `${file} is not a SQLite database: point the storage URL or data directory elsewhere, or move the file away`;
  }
  return `cannot open the SQLite database ${file} (${message}): check that its directory can be created and written by this user, or set another data directory or sqlite: URL`;
}

function postgresOpenMessage(display: string, error: unknown): string {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'ECONNREFUSED':
      return `cannot reach PostgreSQL at ${display}: connection refused. Start the server (for example \`sudo service postgresql start\`) or fix the host and port in the storage URL`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve the host of the storage URL (${display}): fix the host name`;
    case '3D000':
      return `the database of the storage URL does not exist on ${display}: create it (\`createdb <name>\`) or fix the database name in the URL`;
    case '28P01':
    case '28000':
      return `PostgreSQL at ${display} refused the login (${message}): fix the user and password in the storage URL`;
  }
  if (/timeout/i.test(message)) {
    return `PostgreSQL at ${display} did not answer in time: check that the server is up and reachable from this machine (host, port, firewall)`;
  }
  return `cannot open PostgreSQL at ${display} (${message}): check the storage URL and that the server is up`;
}
