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
  // The status is set apart, and only when it changed: SQLite rewrites an index entry whenever a column of
  // the index is assigned, even to the same value, and the status index would be one more page to write
  // to the WAL in nearly every commit (the status changes twice in a conversation's life).
  const updateConversation = raw.prepare<ConversationsTable>(
    `update conversations set outcome = @outcome, customer = @customer, updated_at = @updated_at,
       ended_at = @ended_at, state = @state, turn_count = @turn_count, version = @version
     where id = @id and version = @version - 1`,
  );
  const updateStatus = raw.prepare<ConversationsTable>('update conversations set status = @status where id = @id and status <> @status');
  const versionOf = raw.prepare<[string], { version: number }>('select version from conversations where id = ?');
  // Positional parameters: binding ten by name costs more than the insert's own B-tree work.
  const insertTurn = raw.prepare<TurnRow>(
    'insert into turns (conversation_id, seq, speaker, text, channel, intent, confidence, entities, sentiment, at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );

  const write = (w: TurnWrite): WriteFailure | undefined => {
    if (w.kind === 'create') insertConversation.run(w.row);
    else if (updateConversation.run(w.row).changes === 0) {
      return versionOf.get(w.row.id) === undefined
        ? { kind: 'not-found', message: `conversation ${w.row.id} does not exist; create it before saving` }
        : { kind: 'version-conflict', message: w.row.id };
    } else updateStatus.run(w.row);
    for (const t of w.turns) insertTurn.run(t.conversation_id, t.seq, t.speaker, t.text, t.channel, t.intent, t.confidence, t.entities, t.sentiment, t.at);
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

/** The values of a turn row in the insert's column order. */
type TurnRow = [TurnsTable['conversation_id'], TurnsTable['seq'], TurnsTable['speaker'], TurnsTable['text'], TurnsTable['channel'], TurnsTable['intent'], TurnsTable['confidence'], TurnsTable['entities'], TurnsTable['sentiment'], TurnsTable['at']];

class RefusedWrite extends Error {
  constructor(readonly failure: WriteFailure) {
    super(failure.message);
  }
}
