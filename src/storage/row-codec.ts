import type { Outcome } from '../core/action.ts';
import type { Channel } from '../core/bot.ts';
import type { ConversationState } from '../core/state.ts';
import { ParleyError } from '../errors.ts';
import type { ConversationsTable, TurnsTable } from './database-schema.ts';
import type { ConversationRecord, ConversationStatus, Speaker, TurnRecord } from './port.ts';
import { storableJson, storableText } from './storable-text.ts';

/**
 * Records to rows and back, the same for both dialects. Timestamps are stored in the canonical UTC form of
 * `Date.prototype.toISOString` (`2025-01-31T09:30:00.000Z`), whatever offset they were given in, so they
 * sort as text on SQLite and read back identically from both databases.
 */

export function conversationToRow(record: ConversationRecord): ConversationsTable {
  return {
    id: record.id,
    bot_id: record.botId,
    channel: record.channel,
    status: record.status,
    outcome: record.outcome,
    customer: record.customer === null ? null : storableText(record.customer),
    started_at: storedTimestamp(record.startedAt, 'startedAt'),
    updated_at: storedTimestamp(record.updatedAt, 'updatedAt'),
    ended_at: record.endedAt === null ? null : storedTimestamp(record.endedAt, 'endedAt'),
    history_key: record.historyKey,
    state: storableJson(record.state),
    turn_count: record.turnCount,
    version: record.version,
  };
}

export function rowToConversation(row: ConversationsTable): ConversationRecord {
  return {
    id: row.id,
    botId: row.bot_id,
    channel: row.channel as Channel,
    status: row.status as ConversationStatus,
    outcome: row.outcome as Outcome | null,
    customer: row.customer,
    startedAt: row.started_at,
    updatedAt: row.updated_at,
    endedAt: row.ended_at,
    historyKey: row.history_key,
    state: JSON.parse(row.state) as ConversationState,
    turnCount: row.turn_count,
    version: row.version,
  };
}

export function turnToRow(conversationId: string, turn: TurnRecord): TurnsTable {
  if (turn.conversationId !== conversationId) {
    throw new ParleyError(
      'PARLEY_ERR_INTERNAL',
      `turn ${turn.seq} belongs to conversation ${turn.conversationId}, not to ${conversationId} being saved`,
    );
  }
  return {
    conversation_id: conversationId,
    seq: turn.seq,
    speaker: turn.speaker,
    text: storableText(turn.text),
    channel: turn.channel,
    intent: turn.intent,
    confidence: turn.confidence,
    entities: turn.entities === null ? null : storableJson(turn.entities),
    sentiment: turn.sentiment,
    at: storedTimestamp(turn.at, 'at'),
  };
}

export function rowToTurn(row: TurnsTable): TurnRecord {
  return {
    conversationId: row.conversation_id,
    seq: row.seq,
    speaker: row.speaker as Speaker,
    text: row.text,
    channel: row.channel as Channel,
    intent: row.intent,
    confidence: row.confidence,
    entities: row.entities === null ? null : (JSON.parse(row.entities) as Record<string, unknown>),
    sentiment: row.sentiment,
    at: row.at,
  };
}

/**
 * Already canonical, and no day a date could roll over from (29–31): parsing and formatting again would give
 * the same text. Most timestamps come straight from `toISOString`, and this runs for each one of every turn.
 */
const canonicalTimestamp = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

export function storedTimestamp(value: string, field: string): string {
  if (canonicalTimestamp.test(value)) return value;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    throw new ParleyError('PARLEY_ERR_BAD_REQUEST', `${field} must be an ISO 8601 timestamp such as 2025-01-31T09:30:00.000Z`);
  }
  return new Date(ms).toISOString();
}
