/**
 * The tables as Kysely sees them. Both dialects return the same JavaScript shapes: timestamps as ISO 8601
 * strings and JSON columns as JSON text (the PostgreSQL pool is configured to hand both back unparsed, see
 * `postgres-database.ts`), so the row mapping in `row-codec.ts` is dialect-free.
 */

export interface ConversationsTable {
  id: string;
  bot_id: string;
  channel: string;
  status: string;
  outcome: string | null;
  customer: string | null;
  started_at: string;
  updated_at: string;
  ended_at: string | null;
  history_key: string;
  /** JSON text */
  state: string;
  turn_count: number;
  version: number;
}

export interface TurnsTable {
  conversation_id: string;
  seq: number;
  speaker: string;
  text: string;
  channel: string;
  intent: string | null;
  confidence: number | null;
  /** JSON text */
  entities: string | null;
  sentiment: number | null;
  at: string;
}

export interface UserVariablesTable {
  bot_id: string;
  user_id: string;
  /** JSON text */
  variables: string;
  updated_at: string;
}

export interface Database {
  conversations: ConversationsTable;
  turns: TurnsTable;
  user_variables: UserVariablesTable;
}
