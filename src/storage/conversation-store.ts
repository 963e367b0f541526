import type { Kysely, Transaction } from 'kysely';
import { ParleyError } from '../errors.ts';
import type { ConversationsTable, Database, TurnsTable } from './database-schema.ts';
import {
  VersionConflictError,
  type ConversationFilter,
  type ConversationRecord,
  type ConversationStore,
  type IdleFilter,
  type TurnRecord,
} from './port.ts';
import { conversationToRow, rowToConversation, rowToTurn, storedTimestamp, turnToRow } from './row-codec.ts';
import type { StorageGuard } from './storage-guard.ts';

/** A faster path for the two writes of every turn, where a dialect has one (`sqlite-conversation-writes.ts`). */
export interface ConversationWrites {
  create(row: ConversationsTable, turns: TurnsTable[]): Promise<void>;
  save(row: ConversationsTable, turns: TurnsTable[]): Promise<void>;
}

export const defaultListLimit = 50;
export const maxListLimit = 500;
/** Rows per INSERT: 11 parameters each stays far below both databases' parameter limits. */
const turnsPerInsert = 500;

/**
 * Conversations and turns over Kysely, the same code for SQLite and PostgreSQL. `save` updates only what
 * changes during a conversation (status, outcome, customer, updatedAt, endedAt, state, version): id, botId,
 * channel, startedAt and historyKey are fixed at `create`. Given `writes`, `create` and `save` go through it.
 */
export class KyselyConversationStore implements ConversationStore {
  readonly #db: Kysely<Database>;
  readonly #guard: StorageGuard;
  readonly #writes: ConversationWrites | undefined;

  constructor(db: Kysely<Database>, guard: StorageGuard, writes?: ConversationWrites) {
    this.#db = db;
    this.#guard = guard;
    this.#writes = writes;
  }

  create(record: ConversationRecord, turns: TurnRecord[]): Promise<void> {
    return this.#guard.run('create conversation', async () => {
      const row = conversationToRow(record);
      const turnRows = turns.map((turn) => turnToRow(record.id, turn));
      if (this.#writes) return this.#writes.create(row, turnRows);
      if (turnRows.length === 0) {
        await this.#db.insertInto('conversations').values(row).execute();
        return;
      }
      await this.#db.transaction().execute(async (trx) => {
        await trx.insertInto('conversations').values(row).execute();
        await insertTurns(trx, turnRows);
      });
    });
  }

  save(record: ConversationRecord, turns: TurnRecord[]): Promise<void> {
    return this.#guard.run('save conversation', async () => {
      const row = conversationToRow(record);
      const turnRows = turns.map((turn) => turnToRow(record.id, turn));
      if (this.#writes) return this.#writes.save(row, turnRows);
      await this.#db.transaction().execute(async (trx) => {
        const result = await trx
          .updateTable('conversations')
          .set({
            status: row.status,
            outcome: row.outcome,
            customer: row.customer,
            updated_at: row.updated_at,
            ended_at: row.ended_at,
            state: row.state,
            turn_count: row.turn_count,
            version: row.version,
          })
          .where('id', '=', row.id)
          .where('version', '=', row.version - 1)
          .executeTakeFirst();
        if (result.numUpdatedRows === 0n) throw await missingOrConflict(trx, row.id);
        await insertTurns(trx, turnRows);
      });
    });
  }

  get(id: string): Promise<ConversationRecord | undefined> {
    return this.#guard.run('get conversation', async () => {
      const row = await this.#db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : rowToConversation(row);
    });
  }

  getByHistoryKey(historyKey: string): Promise<ConversationRecord | undefined> {
    return this.#guard.run('get conversation by history key', async () => {
      const row = await this.#db
        .selectFrom('conversations')
        .selectAll()
        .where('history_key', '=', historyKey)
        .executeTakeFirst();
      return row === undefined ? undefined : rowToConversation(row);
    });
  }

  turns(id: string): Promise<TurnRecord[]> {
    return this.#guard.run('read turns', async () => {
      const rows = await this.#db
        .selectFrom('turns')
        .selectAll()
        .where('conversation_id', '=', id)
        .orderBy('seq')
        .execute();
      return rows.map(rowToTurn);
    });
  }

  list(filter: ConversationFilter): Promise<ConversationRecord[]> {
    return this.#guard.run('list conversations', async () => {
      let query = this.#db.selectFrom('conversations').selectAll();
      if (filter.botId !== undefined) query = query.where('bot_id', '=', filter.botId);
      if (filter.channel !== undefined) query = query.where('channel', '=', filter.channel);
      if (filter.status !== undefined) query = query.where('status', '=', filter.status);
      const rows = await query
        .orderBy('started_at', 'desc')
        .orderBy('id', 'desc')
        .limit(listLimit(filter.limit))
        .execute();
      return rows.map(rowToConversation);
    });
  }

  idle(filter: IdleFilter): Promise<Array<{ id: string; updatedAt: string }>> {
    return this.#guard.run('find idle conversations', async () => {
      const before = storedTimestamp(filter.before, 'before');
      const rows = await this.#db
        .selectFrom('conversations')
        .select(['id', 'updated_at'])
        .where('status', '=', 'active')
        .where('bot_id', '=', filter.botId)
        .where('updated_at', '<', before)
        .orderBy('updated_at')
        .orderBy('id')
        .limit(listLimit(filter.limit))
        .execute();
      return rows.map((row) => ({ id: row.id, updatedAt: row.updated_at }));
    });
  }
}

/** `limit` defaults to 50 and is kept within 1…500. */
export function listLimit(limit: number | undefined): number {
  if (limit === undefined || Number.isNaN(limit)) return defaultListLimit;
  return Math.min(maxListLimit, Math.max(1, Math.floor(limit)));
}

async function insertTurns(trx: Transaction<Database>, rows: TurnsTable[]): Promise<void> {
  for (let start = 0; start < rows.length; start += turnsPerInsert) {
    await trx
      .insertInto('turns')
      .values(rows.slice(start, start + turnsPerInsert))
      .execute();
  }
}

async function missingOrConflict(trx: Transaction<Database>, id: string): Promise<Error> {
  const existing = await trx.selectFrom('conversations').select('version').where('id', '=', id).executeTakeFirst();
  if (existing === undefined) {
    return new ParleyError('PARLEY_ERR_CONVERSATION_NOT_FOUND', `conversation ${id} does not exist; create it before saving`);
  }
  return new VersionConflictError(id);
}
