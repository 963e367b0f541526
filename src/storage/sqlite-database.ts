import BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  SqliteAdapter,
  SqliteDriver,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type SqliteDatabase,
  type SqliteStatement,
} from 'kysely';
import type { Database } from './database-schema.ts';
import { SqliteCheckpointer, type SqliteCheckpointerOptions } from './sqlite-checkpointer.ts';
import type { StorageLogger } from './storage-logger.ts';

/**
 * Pragmas for a server: concurrent readers with one writer, no fsync per commit, wait for locks instead of
 * failing. Temporary files in memory: a batch of turn writes keeps each write in a savepoint, whose undo
 * journal SQLite otherwise moves to a new file in /var/tmp once it passes 64 KB (an open, writes, a close
 * and an unlink on the event loop, seen under strace on the IVR benchmark's larger batches).
 */
const pragmas = ['journal_mode = WAL', 'synchronous = NORMAL', 'busy_timeout = 5000', 'foreign_keys = ON', 'temp_store = MEMORY'];

/** Enough for every distinct statement the stores issue (a handful per filter combination). */
const statementCacheSize = 256;

export interface SharedSqliteDatabase {
  readonly db: Kysely<Database>;
  /** The connection under `db`, for prepared statements on hot paths; use it only while holding `db.connection()`. */
  readonly raw: BetterSqlite3.Database;
  /** Checkpoints the WAL off the event loop once the database is busy; none for an in-memory database. */
  readonly checkpointer: SqliteCheckpointer | undefined;
  /** Closes the connection when the last holder releases it. */
  release(): Promise<void>;
}

const openFiles = new Map<string, { db: Kysely<Database>; raw: BetterSqlite3.Database; checkpointer: SqliteCheckpointer | undefined; holders: number }>();

/**
 * Opens (creating if missing) the SQLite file; throws better-sqlite3's error when it cannot.
 *
 * `checkpoints` sets the background checkpoints of a file opened here first (tests shorten them).
 *
 * Opening a file that this process already has open shares the connection. better-sqlite3 is synchronous:
 * with two connections in one process, one waiting for the other's write lock would block the event loop
 * (for busy_timeout) while the lock holder needs that loop to commit. One shared connection serializes
 * instead; other processes on the same file wait for the lock as usual.
 */
export function acquireSqliteDatabase(file: string, logger?: StorageLogger, checkpoints: Omit<SqliteCheckpointerOptions, 'logger'> = {}): SharedSqliteDatabase {
  const shared = file === ':memory:' ? undefined : openFiles.get(file);
  const entry = shared ?? newEntry(file, logger, checkpoints);
  if (file !== ':memory:') openFiles.set(file, entry);
  entry.holders++;
  let released = false;
  return {
    db: entry.db,
    raw: entry.raw,
    checkpointer: entry.checkpointer,
    async release() {
      if (released) return;
      released = true;
      entry.holders--;
      if (entry.holders > 0) return;
      if (openFiles.get(file) === entry) openFiles.delete(file);
      await entry.checkpointer?.close();
      await entry.db.destroy();
    },
  };
}

function newEntry(file: string, logger: StorageLogger | undefined, checkpoints: Omit<SqliteCheckpointerOptions, 'logger'>) {
  const opened = openSqliteDatabase(file);
  const checkpointer = file === ':memory:' ? undefined : new SqliteCheckpointer(file, opened.raw, { ...checkpoints, ...(logger ? { logger } : {}) });
  return { ...opened, checkpointer, holders: 0 };
}

function openSqliteDatabase(file: string): { db: Kysely<Database>; raw: BetterSqlite3.Database } {
  const raw = new BetterSqlite3(file);
  try {
    for (const pragma of pragmas) raw.pragma(pragma);
  } catch (error) {
    raw.close();
    throw error;
  }
  return { db: new Kysely<Database>({ dialect: new ParleySqliteDialect(withStatementCache(raw)) }), raw };
}

/**
 * Kysely's SQLite dialect with three changes: statements are prepared once and reused (preparing is a large
 * part of a small query's cost); transactions start with `BEGIN IMMEDIATE`, so a writer takes the lock up front
 * and waits `busy_timeout` for it rather than failing on a lock upgrade; migrations run in a transaction (SQLite
 * supports transactional DDL), so a failed migration leaves nothing half-applied.
 */
class ParleySqliteDialect implements Dialect {
  readonly #database: SqliteDatabase;

  constructor(database: SqliteDatabase) {
    this.#database = database;
  }

  createDriver() {
    return new ImmediateTransactionSqliteDriver({ database: this.#database });
  }

  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }

  createAdapter() {
    return new TransactionalDdlSqliteAdapter();
  }

  createIntrospector(db: Kysely<unknown>) {
    return new SqliteIntrospector(db);
  }
}

class ImmediateTransactionSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

function withStatementCache(raw: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => raw.close(),
    prepare(sql) {
      const cached = cache.get(sql);
      if (cached !== undefined) return cached;
      const statement = raw.prepare(sql);
      if (cache.size >= statementCacheSize) {
        const oldest = cache.keys().next();
        if (oldest.done !== true) cache.delete(oldest.value);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}
