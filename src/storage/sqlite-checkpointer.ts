import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';
import type { StorageLogger } from './storage-logger.ts';

export interface SqliteCheckpointerOptions {
  /** Commits after which the background thread takes over (default 256): a quiet database never needs it. */
  startAfterCommits?: number;
  /** How often the background thread checkpoints (default 100 ms). */
  intervalMs?: number;
  /**
   * WAL length, in frames (pages), from which the thread has the WAL started over (default 16384, 64 MB with
   * 4 KB pages): see `SqliteCheckpointer`.
   */
  restartFrames?: number;
  logger?: StorageLogger;
}

/** Something that commits to the database and can stop doing so for a moment (the turn writes' queue). */
export interface CommitGate {
  /** Resolves once no commit of this gate is under way and none will start until `release` is called. */
  hold(): Promise<() => void>;
}

/** What a checkpoint reported: WAL frames in all, and how many of them are now in the database file. */
interface CheckpointResult {
  log: number;
  checkpointed: number;
}

type FromThread = { ready: true } | { error: string } | { long: CheckpointResult } | { finished: CheckpointResult | null };

/**
 * The checkpointing thread: its own connection to the file, a PASSIVE checkpoint every interval. When the
 * WAL is long it says so, and on 'finish' copies what was written since (commits are held meanwhile).
 */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
const checkpoint = () => {
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    return { log: r.log, checkpointed: r.checkpointed };
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
    return undefined;
  }
};
const tick = () => {
  const r = checkpoint();
  if (r && r.log >= workerData.restartFrames) parentPort.postMessage({ long: r });
};
const timer = setInterval(tick, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message === 'finish') {
    parentPort.postMessage({ finished: checkpoint() || null });
    return;
  }
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
parentPort.postMessage({ ready: true });
`;

/**
 * How long commits may be held for the last part of a checkpoint before they go on regardless (the WAL then
 * starts over another time): 20 ms at first, twice as long after each time it was not enough, up to 1 s, so
 * that a slow disk delays turns a little more rather than let the WAL grow without bound.
 */
const FIRST_FINISH_BUDGET_MS = 20;
const MAX_FINISH_BUDGET_MS = 1000;

/**
 * Moves SQLite's WAL checkpoints off the event loop, and keeps the WAL from growing without bound.
 *
 * By default the connection that commits checkpoints the WAL back into the database file every 1000 pages,
 * synchronously, with an fsync: a pause of several milliseconds in the middle of serving conversations, every
 * few hundred turns. Once the database is busy (`startAfterCommits`), a worker thread with its own connection
 * checkpoints instead (PASSIVE: it never blocks a writer), and the serving connection's automatic checkpoints
 * are turned off. Should the thread fail, automatic checkpoints are turned back on.
 *
 * SQLite starts the WAL file over (writes from its beginning again) only when a write transaction begins
 * after a checkpoint copied every frame. Under a steady stream of commits a PASSIVE checkpoint from another
 * thread never does: frames keep arriving while it copies, and the WAL grew by some 70 MB a second on the
 * chat benchmark, each commit writing to fresh file pages. So when a checkpoint leaves a WAL of
 * `restartFrames` or more behind, the turn writes are held (`CommitGate`) while the thread copies the few
 * frames left; the next commit then starts the WAL over. The hold is mostly the checkpoint's two fsyncs:
 * 2–7 ms on the 2-core test machine under load. The commit that starts the WAL over fsyncs its new header,
 * on the event loop (0.3–0.5 ms here). Both come once per `restartFrames`, and the turns that arrive
 * meanwhile wait: with 4096 frames (16 MB) that was three to five times a second at the chat and IVR
 * benchmarks' full rate; with 16384 (64 MB) it is about once a second (ADR 0005 has the A/B).
 */
export class SqliteCheckpointer {
  readonly #file: string;
  readonly #raw: BetterSqlite3.Database;
  readonly #startAfter: number;
  readonly #intervalMs: number;
  readonly #restartFrames: number;
  readonly #logger: StorageLogger | undefined;
  readonly #gates = new Set<CommitGate>();
  #commits = 0;
  #worker: Worker | undefined;
  #closed = false;
  #finishBudgetMs = FIRST_FINISH_BUDGET_MS;
  /** Ends the wait for the thread's last checkpoint, while one is under way. */
  #finishing: ((result: CheckpointResult | null) => void) | undefined;
  #restarts = 0;

  constructor(file: string, raw: BetterSqlite3.Database, options: SqliteCheckpointerOptions = {}) {
    this.#file = file;
    this.#raw = raw;
    this.#startAfter = options.startAfterCommits ?? 256;
    this.#intervalMs = options.intervalMs ?? 100;
    this.#restartFrames = options.restartFrames ?? 16_384;
    this.#logger = options.logger;
  }

  /** Whether the background thread checkpoints now. */
  get running(): boolean {
    return this.#worker !== undefined;
  }

  /** How many times the thread has copied a long WAL whole with the commits held, so it could start over. */
  get restarts(): number {
    return this.#restarts;
  }

  /** Registers a committer to hold while a long WAL is copied whole; returns its removal. */
  addGate(gate: CommitGate): () => void {
    this.#gates.add(gate);
    return () => this.#gates.delete(gate);
  }

  /** Called after each commit; starts the thread once the database is busy. */
  noteCommit(): void {
    if (this.#worker !== undefined || this.#closed || ++this.#commits < this.#startAfter) return;
    this.#start();
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#finishing?.(null);
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
    const worker = new Worker(workerSource, {
      eval: true,
      workerData: { file: this.#file, driver, intervalMs: this.#intervalMs, restartFrames: this.#restartFrames },
    });
    worker.unref();
    this.#worker = worker;
    worker.on('message', (message: FromThread) => {
      if ('ready' in message && !this.#closed) this.#raw.pragma('wal_autocheckpoint = 0');
      if ('error' in message) this.#logger?.warn({ file: this.#file, error: message.error }, 'background WAL checkpoint failed; it is retried');
      if ('long' in message) void this.#finish(worker);
      if ('finished' in message) this.#finishing?.(message.finished);
    });
    worker.on('error', (error) => this.#fallBack(error));
    worker.on('exit', () => {
      if (!this.#closed) this.#fallBack(new Error('the checkpoint thread stopped'));
    });
  }

  /** Holds the gates' commits while the thread copies the end of the WAL, so that the next commit restarts it. */
  async #finish(worker: Worker): Promise<void> {
    if (this.#finishing !== undefined || this.#closed) return;
    const finished = new Promise<CheckpointResult | null>((resolve) => (this.#finishing = resolve));
    const timer = setTimeout(() => this.#finishing?.(null), this.#finishBudgetMs);
    try {
      const releases = await Promise.all([...this.#gates].map((gate) => gate.hold()));
      try {
        if (this.#closed) return;
        worker.postMessage('finish');
        const result = await finished;
        if (result === null) this.#finishBudgetMs = Math.min(MAX_FINISH_BUDGET_MS, 2 * this.#finishBudgetMs);
        else this.#finishBudgetMs = FIRST_FINISH_BUDGET_MS;
        if (result !== null && result.checkpointed === result.log) this.#restarts++;
      } finally {
        for (const release of releases) release();
      }
    } finally {
      clearTimeout(timer);
      this.#finishing = undefined;
    }
  }

  #fallBack(error: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#worker = undefined;
    this.#finishing?.(null);
    try {
      this.#raw.pragma('wal_autocheckpoint = 1000');
    } catch {
      // the connection is closing: nothing left to checkpoint from here
    }
    this.#logger?.warn({ file: this.#file, error: error.message }, 'background WAL checkpoints stopped; the serving connection checkpoints again');
  }
}
