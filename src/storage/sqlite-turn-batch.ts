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
  const insertConversation = raw.prepare<InsertRow>(
    `insert into conversations (id, bot_id, channel, status, outcome, customer, started_at, updated_at, ended_at, history_key, state, turn_count, version)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // Positional parameters: binding by name costs about 1 µs more per statement (better-sqlite3 looks each
  // name up in the object), as much as the insert's own B-tree work.
  // The status is set apart, and only when it changed: SQLite rewrites an index entry whenever a column of
  // the index is assigned, even to the same value, and the status index would be one more page to write
  // to the WAL in nearly every commit (the status changes twice in a conversation's life).
  const updateConversation = raw.prepare<UpdateRow>(
    `update conversations set outcome = ?, customer = ?, updated_at = ?, ended_at = ?, state = ?, turn_count = ?, version = ?
     where id = ? and version = ?`,
  );
  const updateStatus = raw.prepare<[string, string, string]>('update conversations set status = ? where id = ? and status <> ?');
  const versionOf = raw.prepare<[string], { version: number }>('select version from conversations where id = ?');
  const insertTurn = raw.prepare<TurnRow>(
    'insert into turns (conversation_id, seq, speaker, text, channel, intent, confidence, entities, sentiment, at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );

  const write = (w: TurnWrite): WriteFailure | undefined => {
    const r = w.row;
    if (w.kind === 'create') {
      insertConversation.run(r.id, r.bot_id, r.channel, r.status, r.outcome, r.customer, r.started_at, r.updated_at, r.ended_at, r.history_key, r.state, r.turn_count, r.version);
    } else if (updateConversation.run(r.outcome, r.customer, r.updated_at, r.ended_at, r.state, r.turn_count, r.version, r.id, r.version - 1).changes === 0) {
      return versionOf.get(r.id) === undefined
        ? { kind: 'not-found', message: `conversation ${r.id} does not exist; create it before saving` }
        : { kind: 'version-conflict', message: r.id };
    } else {
      const known = committedStatus.get(r.id);
      if (known?.version !== r.version - 1 || known.status !== r.status) updateStatus.run(r.status, r.id, r.status);
    }
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
  // The status of each conversation as this writer last committed it, with the version it committed: when a
  // save's version follows that one, the row held that status until now, so an unchanged status needs no
  // statement (some 2.5 µs a turn). Recorded only after the commit: a write undone (its savepoint, or the
  // batch) leaves no trace. A row another process wrote since has another version, and gets the statement.
  const committedStatus = new Map<string, { version: number; status: string }>();
  return (batch) => {
    const failures = commitBatch.immediate(batch);
    batch.forEach((w, i) => {
      if (failures[i] !== undefined) return;
      committedStatus.delete(w.row.id); // re-inserted last: the oldest entry is the least recently written
      committedStatus.set(w.row.id, { version: w.row.version, status: w.row.status });
    });
    for (const id of committedStatus.keys()) {
      if (committedStatus.size <= MAX_KNOWN_STATUSES) break;
      committedStatus.delete(id);
    }
    return failures;
  };
}

/** Conversations whose committed status a writer remembers (some 100 bytes each). */
const MAX_KNOWN_STATUSES = 20_000;

/** The values of a new conversation in the insert's column order. */
type InsertRow = [
  ConversationsTable['id'],
  ConversationsTable['bot_id'],
  ConversationsTable['channel'],
  ConversationsTable['status'],
  ConversationsTable['outcome'],
  ConversationsTable['customer'],
  ConversationsTable['started_at'],
  ConversationsTable['updated_at'],
  ConversationsTable['ended_at'],
  ConversationsTable['history_key'],
  ConversationsTable['state'],
  ConversationsTable['turn_count'],
  ConversationsTable['version'],
];

/** The values of a conversation update in the statement's order. */
type UpdateRow = [
  ConversationsTable['outcome'],
  ConversationsTable['customer'],
  ConversationsTable['updated_at'],
  ConversationsTable['ended_at'],
  ConversationsTable['state'],
  ConversationsTable['turn_count'],
  ConversationsTable['version'],
  ConversationsTable['id'],
  ConversationsTable['version'],
];

/** The values of a turn row in the insert's column order. */
type TurnRow = [TurnsTable['conversation_id'], TurnsTable['seq'], TurnsTable['speaker'], TurnsTable['text'], TurnsTable['channel'], TurnsTable['intent'], TurnsTable['confidence'], TurnsTable['entities'], TurnsTable['sentiment'], TurnsTable['at']];

class RefusedWrite extends Error {
  constructor(readonly failure: WriteFailure) {
    super(failure.message);
  }
}
