/**
 * Conversation and turn records for the storage tests: valid, with fresh ids and history keys unless the
 * test gives its own.
 */
import { randomUUID } from 'node:crypto';
import { initialState } from '../core/state.ts';
import type { ConversationRecord, TurnRecord } from './port.ts';

export function testConversation(overrides: Partial<ConversationRecord> = {}): ConversationRecord {
  return {
    id: randomUUID(),
    botId: 'bank-bot',
    channel: 'chat',
    status: 'active',
    outcome: null,
    customer: null,
    startedAt: '2025-03-01T10:00:00.000Z',
    updatedAt: '2025-03-01T10:00:00.000Z',
    endedAt: null,
    historyKey: randomUUID(),
    state: initialState({ session: { language: 'en' } }),
    turnCount: 0,
    version: 1,
    ...overrides,
  };
}

export function testTurn(conversationId: string, seq: number, overrides: Partial<TurnRecord> = {}): TurnRecord {
  return {
    conversationId,
    seq,
    speaker: 'customer',
    text: 'I want to check my balance',
    channel: 'chat',
    intent: null,
    confidence: null,
    entities: null,
    sentiment: null,
    at: '2025-03-01T10:00:00.000Z',
    ...overrides,
  };
}
