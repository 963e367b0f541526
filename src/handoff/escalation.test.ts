import { describe, expect, it } from 'vitest';
import { isParleyError } from '../errors.ts';
import { advance, type EscalationRecord } from './escalation.ts';

const base: EscalationRecord = {
  id: 'e1',
  conversationId: 'c1',
  botId: 'bank',
  channel: 'chat',
  queue: 'general',
  requestedQueue: 'general',
  rule: null,
  status: 'requested',
  historyKey: 'k',
  agentId: null,
  connector: null,
  context: { entities: {}, variables: {}, transferInfo: {}, reason: 'requested', sentiment: null },
  skills: [],
  language: null,
  disposition: null,
  endReason: null,
  requestedAt: '2025-01-01T00:00:00.000Z',
  queuedAt: null,
  offeredAt: null,
  acceptedAt: null,
  connectedAt: null,
  endedAt: null,
  eventCount: 1,
};

describe('hand-off life cycle', () => {
  it('goes requested → queued → offered → declined (queued again) → offered → accepted → connected → ended, timestamping each step', () => {
    let r = base;
    const seen: string[] = [];
    for (const [kind, at, agentId] of [
      ['queued', '2025-01-01T00:00:01.000Z'],
      ['offered', '2025-01-01T00:00:02.000Z', 'ann'],
      ['declined', '2025-01-01T00:00:03.000Z', 'ann'],
      ['offered', '2025-01-01T00:00:04.000Z', 'bob'],
      ['accepted', '2025-01-01T00:00:05.000Z', 'bob'],
      ['connected', '2025-01-01T00:00:05.000Z'],
    ] as const) {
      const next = advance(r, { kind, at, ...(agentId ? { agentId } : {}) });
      r = next.record;
      seen.push(`${next.event.seq}:${kind}:${r.status}:${r.agentId ?? '-'}`);
    }
    expect(seen).toEqual(['2:queued:queued:-', '3:offered:offered:ann', '4:declined:queued:-', '5:offered:offered:bob', '6:accepted:accepted:bob', '7:connected:connected:bob']);
    const end = advance(r, { kind: 'ended', at: '2025-01-01T00:10:00.000Z', disposition: 'resolved', endReason: 'agent' });
    expect(end.record).toMatchObject({ status: 'ended', queuedAt: '2025-01-01T00:00:01.000Z', offeredAt: '2025-01-01T00:00:04.000Z', acceptedAt: '2025-01-01T00:00:05.000Z', endedAt: '2025-01-01T00:10:00.000Z', disposition: 'resolved' });
    expect(end.event).toMatchObject({ kind: 'ended', agentId: 'bob' });
  });

  it('refuses what cannot happen now: accepting an offer that timed out, ending twice', () => {
    const queued = advance(advance(base, { kind: 'queued', at: base.requestedAt }).record, { kind: 'offered', at: base.requestedAt, agentId: 'ann' }).record;
    const timedOut = advance(queued, { kind: 'timed-out', at: base.requestedAt }).record;
    const late = (() => {
      try {
        advance(timedOut, { kind: 'accepted', at: base.requestedAt });
        return undefined;
      } catch (e) {
        return e;
      }
    })();
    expect(isParleyError(late) && late.code).toBe('PARLEY_ERR_CONFLICT');
    const ended = advance(timedOut, { kind: 'ended', at: base.requestedAt }).record;
    expect(() => advance(ended, { kind: 'ended', at: base.requestedAt })).toThrow(/is ended; it cannot be ended now/);
  });

  it('moves to another queue on transfer and overflow, freeing the agent', () => {
    const connected = { ...base, status: 'connected' as const, agentId: 'bob' };
    const moved = advance(connected, { kind: 'transferred', at: base.requestedAt, queue: 'payments' });
    expect(moved.record).toMatchObject({ status: 'queued', queue: 'payments', agentId: null });
    expect(moved.event.queue).toBe('payments');
  });
});
