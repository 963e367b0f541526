import type { Kysely } from 'kysely';
import type { Channel } from '../core/bot.ts';
import type { Outcome } from '../core/action.ts';
import type { ConversationState } from '../core/state.ts';
import type { Database } from './database-schema.ts';

export type ConversationStatus = ConversationState['status'];
export type Speaker = 'customer' | 'bot' | 'agent' | 'system';

export interface ConversationRecord {
  id: string;
  botId: string;
  channel: Channel;
  status: ConversationStatus;
  outcome: Outcome | null;
  /** The customer's identity on the channel (caller number, chat user id); personal data. */
  customer: string | null;
  /** ISO 8601 timestamps */
  startedAt: string;
  updatedAt: string;
  endedAt: string | null;
  /** Key under which the transcript is handed to humans and external contact centers. */
  historyKey: string;
  /** The dialog engine's state, stored as JSON. */
  state: ConversationState;
  /** How many turns the transcript holds; the next turn's `seq` is `turnCount + 1`. */
  turnCount: number;
  /** Optimistic concurrency: incremented on every save. */
  version: number;
}

export interface TurnRecord {
  conversationId: string;
  /** 1, 2, 3 … within a conversation */
  seq: number;
  speaker: Speaker;
  /** Already masked where the turn held sensitive data. */
  text: string;
  channel: Channel;
  intent: string | null;
  confidence: number | null;
  entities: Record<string, unknown> | null;
  sentiment: number | null;
  at: string;
}

export interface ConversationFilter {
  botId?: string;
  channel?: Channel;
  status?: ConversationStatus;
  /** Default 50; values above 500 are capped at 500, values below 1 raised to 1. */
  limit?: number;
}

/** Which idle conversations to find (`ConversationStore.idle`). */
export interface IdleFilter {
  botId: string;
  /** ISO 8601: conversations last updated before this instant. */
  before: string;
  /** Default 50; kept within 1…500, as `list`'s. */
  limit?: number;
}

/** Thrown by `save` when the record changed since it was read. */
export class VersionConflictError extends Error {
  constructor(id: string) {
    super(`conversation ${id} was changed by someone else; read it again and retry`);
    this.name = 'VersionConflictError';
  }
}

/** Conversations and their transcripts. */
export interface ConversationStore {
  create(record: ConversationRecord, turns: TurnRecord[]): Promise<void>;
  /**
   * Saves the record and appends turns in one transaction, if the stored version is `record.version - 1`;
   * otherwise throws VersionConflictError and changes nothing. id, botId, channel, startedAt and historyKey
   * are fixed at `create`; `save` leaves them as they were.
   */
  save(record: ConversationRecord, turns: TurnRecord[]): Promise<void>;
  get(id: string): Promise<ConversationRecord | undefined>;
  getByHistoryKey(historyKey: string): Promise<ConversationRecord | undefined>;
  turns(id: string): Promise<TurnRecord[]>;
  /** Newest first. */
  list(filter: ConversationFilter): Promise<ConversationRecord[]>;
  /** A bot's active conversations last updated before `filter.before`, the longest idle first. */
  idle(filter: IdleFilter): Promise<Array<{ id: string; updatedAt: string }>>;
}

/** Variables of the `user.` scope, kept across a user's conversations with one bot. */
export interface UserVariableStore {
  get(botId: string, userId: string): Promise<Record<string, unknown>>;
  set(botId: string, userId: string, variables: Record<string, unknown>): Promise<void>;
}

export interface Storage {
  readonly kind: 'sqlite' | 'postgres';
  readonly conversations: ConversationStore;
  readonly users: UserVariableStore;
  /**
   * The migrated database itself, for feature stores that keep their own tables in the one migration set
   * (the hand-off's, `src/handoff/store/`); they add their row types with `kysely.withTables<…>()`.
   */
  readonly kysely: Kysely<Database>;
  close(): Promise<void>;
}
