import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { ParleyError } from '../errors.ts';
import type { ConversationsTable, Database, TurnsTable } from './database-schema.ts';
import { VersionConflictError } from './port.ts';
import type { CommitGate } from './sqlite-checkpointer.ts';
import { turnBatchWriter, type TurnWrite, type WriteFailure } from './sqlite-turn-batch.ts';

interface QueuedWrite {
  write: TurnWrite;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * The two writes of every conversation turn (`create` and `save`) on SQLite, with group commit.
 *
 * A commit is most of a turn's storage cost (the WAL append), so the writes that arrive in one turn of the
 * event loop are committed together: one `BEGIN IMMEDIATE … COMMIT`, each write in its own savepoint so a
 * version conflict undoes that write alone (`sqlite-turn-batch.ts`). Every caller's promise settles only
 * after the commit that holds its write, so a turn is as durable as with a transaction of its own.
 *
 * A busy server gathers a little longer: when the last commit ended less than `gatherMs` (1 ms) ago, the
 * next one waits until `gatherMs` after it, so that the writes of the turns arriving meanwhile share it
 * (a turn's answer waits at most that long). An idle server commits at the end of the loop turn. On the
 * chat benchmark paced at half its capacity, where loop turns carry one or two writes each, this took
 * about a tenth off the CPU time of a turn (ADR 0005).
 *
 * The statements are prepared better-sqlite3 statements on Kysely's connection, taken through
 * `db.connection()` so a batch never lands inside another caller's open Kysely transaction.
 */
export class SqliteConversationWrites implements CommitGate {
  readonly #db: Kysely<Database>;
  readonly #raw: BetterSqlite3.Database;
  readonly #onCommit: () => void;
  readonly #gatherMs: number;
  #commit: ((batch: TurnWrite[]) => Array<WriteFailure | undefined>) | undefined;
  #queue: QueuedWrite[] = [];
  #flushScheduled = false;
  #inFlight = new Set<Promise<void>>();
  /** When the last commit ended (monotonic ms), or -Infinity. */
  #lastCommitMs = Number.NEGATIVE_INFINITY;
  /** Holds not yet released (`hold`): while any is, writes queue up and nothing is committed. */
  #holds = 0;
  #closing = false;

  /** `onCommit` is told of every batch committed (the checkpointer counts them). */
  constructor(db: Kysely<Database>, raw: BetterSqlite3.Database, options: { onCommit?: () => void; gatherMs?: number } = {}) {
    this.#db = db;
    this.#raw = raw;
    this.#onCommit = options.onCommit ?? (() => undefined);
    this.#gatherMs = options.gatherMs ?? 1;
  }

  create(row: ConversationsTable, turns: TurnsTable[]): Promise<void> {
    return this.#enqueue({ kind: 'create', row, turns });
  }

  save(row: ConversationsTable, turns: TurnsTable[]): Promise<void> {
    return this.#enqueue({ kind: 'save', row, turns });
  }

  /**
   * Stops committing until the returned function is called, once the commits under way have ended: writes
   * queue meanwhile, and their callers wait (the checkpointer holds the writes to copy the end of a WAL).
   */
  async hold(): Promise<() => void> {
    this.#holds++;
    await Promise.allSettled([...this.#inFlight]);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#holds--;
      if (this.#holds === 0 && this.#queue.length > 0 && !this.#flushScheduled) {
        this.#flushScheduled = true;
        setImmediate(() => this.#track(this.#flush()));
      }
    };
  }

  /** Commits what is queued, held or not; call before closing the connection. */
  async close(): Promise<void> {
    this.#closing = true;
    while (this.#inFlight.size > 0 || this.#queue.length > 0) {
      if (this.#inFlight.size === 0) this.#track(this.#flush());
      await Promise.allSettled([...this.#inFlight]);
    }
  }

  #enqueue(write: TurnWrite): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ write, resolve, reject });
      if (this.#flushScheduled || (this.#holds > 0 && !this.#closing)) return;
      this.#flushScheduled = true;
      const waitMs = this.#lastCommitMs + this.#gatherMs - performance.now();
      if (waitMs > 0) setTimeout(() => this.#track(this.#flush()), waitMs);
      else setImmediate(() => this.#track(this.#flush()));
    });
  }

  #track(flush: Promise<void>): void {
    this.#inFlight.add(flush);
    void flush.finally(() => this.#inFlight.delete(flush));
  }

  async #flush(): Promise<void> {
    this.#flushScheduled = false;
    if (this.#holds > 0 && !this.#closing) return; // the release schedules the next flush
    const batch = this.#queue;
    this.#queue = [];
    if (batch.length === 0) return;
    const writes = batch.map((item) => item.write);
    let failures: Array<WriteFailure | undefined>;
    try {
      failures = await this.#db.connection().execute(async () => this.#prepared()(writes));
    } catch (error) {
      // the commit itself failed (lock timeout, disk full): none of the batch was written
      for (const item of batch) item.reject(error);
      return;
    } finally {
      this.#lastCommitMs = performance.now();
    }
    this.#onCommit();
    batch.forEach((item, i) => {
      const failure = failures[i];
      if (failure === undefined) item.resolve();
      else item.reject(errorOf(failure, item.write.row.id));
    });
  }

  /** Prepared at first use: the tables exist only once the migrations ran. */
  #prepared(): (batch: TurnWrite[]) => Array<WriteFailure | undefined> {
    this.#commit ??= turnBatchWriter(this.#raw);
    return this.#commit;
  }
}

function errorOf(failure: WriteFailure, id: string): Error {
  if (failure.kind === 'version-conflict') return new VersionConflictError(id);
  if (failure.kind === 'not-found') return new ParleyError('PARLEY_ERR_CONVERSATION_NOT_FOUND', failure.message);
  return Object.assign(new Error(failure.message), failure.code ? { code: failure.code } : {});
}
