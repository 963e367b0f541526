import type BetterSqlite3 from 'better-sqlite3';
import type { ConversationsTable, TurnsTable } from './database-schema.ts';

/** One conversation write of a turn: the record (created or saved) and the turns it adds. */
export interface TurnWrite {
  kind: 'create' | 'save';
  row: ConversationsTable;
  turns: TurnsTable[];
}

/** Why one write of a batch failed. */
export interface WriteFailure {
  kind: 'not-found' | 'version-conflict' | 'driver';
  message: string;
  /** The driver's error code (SQLITE_CONSTRAINT_PRIMARYKEY…), for `toStorageError`. */
  code?: string;
}

/**
 * Writes a batch of conversation writes in one transaction (`BEGIN IMMEDIATE`), each in its own savepoint so a
 * failing write undoes itself alone; returns each write's failure, or undefined where it succeeded
 * (`sqlite-conversation-writes.ts` queues the batches).
 */
export function turnBatchWriter(raw: BetterSqlite3.Database): (batch: TurnWrite[]) => Array<WriteFailure | undefined> {
  const insertConversation = raw.prepare<ConversationsTable>(
    `insert into conversations (id, bot_id, channel, status, outcome, customer, started_at, updated_at, ended_at, history_key, state, turn_count, version)
     values (@id, @bot_id, @channel, @status, @outcome, @customer, @started_at, @updated_at, @ended_at, @history_key, @state, @turn_count, @version)`,
  );
  const updateConversation = raw.prepare<ConversationsTable>(
    `update conversations set status = @status, outcome = @outcome, customer = @customer, updated_at = @updated_at,
       ended_at = @ended_at, state = @state, turn_count = @turn_count, version = @version
     where id = @id and version = @version - 1`,
  );
  const versionOf = raw.prepare<[string], { version: number }>('select version from conversations where id = ?');
  const insertTurn = raw.prepare<TurnsTable>(
    `insert into turns (conversation_id, seq, speaker, text, channel, intent, confidence, entities, sentiment, at)
     values (@conversation_id, @seq, @speaker, @text, @channel, @intent, @confidence, @entities, @sentiment, @at)`,
  );

  const write = (w: TurnWrite): WriteFailure | undefined => {
    if (w.kind === 'create') insertConversation.run(w.row);
    else if (updateConversation.run(w.row).changes === 0) {
      return versionOf.get(w.row.id) === undefined
        ? { kind: 'not-found', message: `conversation ${w.row.id} does not exist; create it before saving` }
        : { kind: 'version-conflict', message: w.row.id };
    }
    for (const turn of w.turns) insertTurn.run(turn);
    return undefined;
  };
  // Inside the batch's transaction, better-sqlite3 runs a nested transaction function as a savepoint; a
  // failure returned (not thrown) must undo the savepoint too, hence the throw and catch.
  const inSavepoint = raw.transaction((w: TurnWrite) => {
    const failure = write(w);
    if (failure) throw new RefusedWrite(failure);
  });
  const commitBatch = raw.transaction((batch: TurnWrite[]) =>
    batch.map((w): WriteFailure | undefined => {
      try {
        inSavepoint(w);
        return undefined;
      } catch (error) {
        if (error instanceof RefusedWrite) return error.failure;
        const code = (error as { code?: unknown } | null)?.code;
        return { kind: 'driver', message: error instanceof Error ? error.message : String(error), ...(typeof code === 'string' ? { code } : {}) };
      }
    }),
  );
  return (batch) => commitBatch.immediate(batch);
}

class RefusedWrite extends Error {
  constructor(readonly failure: WriteFailure) {
    super(failure.message);
  }
}
