import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';
import type { StorageLogger } from './storage-logger.ts';

export interface SqliteCheckpointerOptions {
  /** Commits after which the background thread takes over (default 256): a quiet database never needs it. */
  startAfterCommits?: number;
  /** How often the background thread checkpoints (default 100 ms). */
  intervalMs?: number;
  logger?: StorageLogger;
}

/** The checkpointing thread: its own connection to the file, a PASSIVE checkpoint every interval. */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
parentPort.postMessage({ ready: true });
`;

/**
 * Moves SQLite's WAL checkpoints off the event loop. By default the connection that commits checkpoints the
 * WAL back into the database file every 1000 pages, synchronously, with an fsync: a pause of several
 * milliseconds in the middle of serving conversations, every few hundred turns. Once the database is busy
 * (`startAfterCommits`), a worker thread with its own connection checkpoints instead (PASSIVE: it never
 * blocks a writer), and the serving connection's automatic checkpoints are turned off. Should the thread
 * fail, automatic checkpoints are turned back on, so the WAL can never grow without bound.
 */
export class SqliteCheckpointer {
  readonly #file: string;
  readonly #raw: BetterSqlite3.Database;
  readonly #startAfter: number;
  readonly #intervalMs: number;
  readonly #logger: StorageLogger | undefined;
  #commits = 0;
  #worker: Worker | undefined;
  #closed = false;

  constructor(file: string, raw: BetterSqlite3.Database, options: SqliteCheckpointerOptions = {}) {
    this.#file = file;
    this.#raw = raw;
    this.#startAfter = options.startAfterCommits ?? 256;
    this.#intervalMs = options.intervalMs ?? 100;
    this.#logger = options.logger;
  }

  /** Whether the background thread checkpoints now. */
  get running(): boolean {
    return this.#worker !== undefined;
  }

  /** Called after each commit; starts the thread once the database is busy. */
  noteCommit(): void {
    if (this.#worker !== undefined || this.#closed || ++this.#commits < this.#startAfter) return;
    this.#start();
  }

  async close(): Promise<void> {
    this.#closed = true;
    const worker = this.#worker;
    if (worker === undefined) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage('stop');
    const timer = setTimeout(() => void worker.terminate(), 5000);
    await exited;
    clearTimeout(timer);
  }

  #start(): void {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(workerSource, { eval: true, workerData: { file: this.#file, driver, intervalMs: this.#intervalMs } });
    worker.unref();
    this.#worker = worker;
    worker.on('message', (message: { ready?: true; error?: string }) => {
      if (message.ready && !this.#closed) this.#raw.pragma('wal_autocheckpoint = 0');
      if (message.error) this.#logger?.warn({ file: this.#file, error: message.error }, 'background WAL checkpoint failed; it is retried');
    });
    worker.on('error', (error) => this.#fallBack(error));
    worker.on('exit', () => {
      if (!this.#closed) this.#fallBack(new Error('the checkpoint thread stopped'));
    });
  }

  #fallBack(error: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#worker = undefined;
    try {
      this.#raw.pragma('wal_autocheckpoint = 1000');
    } catch {
      // the connection is closing: nothing left to checkpoint from here
    }
    this.#logger?.warn({ file: this.#file, error: error.message }, 'background WAL checkpoints stopped; the serving connection checkpoints again');
  }
}
