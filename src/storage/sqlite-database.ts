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

/** Pragmas for a server: concurrent readers with one writer, no fsync per commit, wait for locks instead of failing. */
const pragmas = ['journal_mode = WAL', 'synchronous = NORMAL', 'busy_timeout = 5000', 'foreign_keys = ON'];

/** Enough for every distinct statement the stores issue (a handful per filter combination). */
const statementCacheSize = 256;

export interface SharedSqliteDatabase {
  readonly db: Kysely<Database>;
  /** Closes the connection when the last holder releases it. */
  release(): Promise<void>;
}

const openFiles = new Map<string, { db: Kysely<Database>; holders: number }>();

/**
 * Opens (creating if missing) the SQLite file; throws better-sqlite3's error when it cannot.
 *
 * Opening a file that this process already has open shares the connection. better-sqlite3 is synchronous:
 * with two connections in one process, one waiting for the other's write lock would block the event loop
 * (for busy_timeout) while the lock holder needs that loop to commit. One shared connection serializes
 * instead; other processes on the same file wait for the lock as usual.
 */
export function acquireSqliteDatabase(file: string): SharedSqliteDatabase {
  const shared = file === ':memory:' ? undefined : openFiles.get(file);
  const entry = shared ?? { db: openSqliteDatabase(file), holders: 0 };
  if (file !== ':memory:') openFiles.set(file, entry);
  entry.holders++;
  let released = false;
  return {
    db: entry.db,
    async release() {
      if (released) return;
      released = true;
      entry.holders--;
      if (entry.holders > 0) return;
      if (openFiles.get(file) === entry) openFiles.delete(file);
      await entry.db.destroy();
    },
  };
}

function openSqliteDatabase(file: string): Kysely<Database> {
  const raw = new BetterSqlite3(file);
  try {
    for (const pragma of pragmas) raw.pragma(pragma);
  } catch (error) {
    raw.close();
    throw error;
  }
  return new Kysely<Database>({ dialect: new ParleySqliteDialect(withStatementCache(raw)) });
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
