import { describe, expect, it } from 'vitest';
import type { EscalationRecord } from './escalation.ts';
import { computeKpis, kpiCsv, meterBotSessions } from './kpis.ts';
import type { KpiConversation } from './store/ports.ts';

const c = (id: string, botId: string, startedAt: string, status: string, outcome: string | null, endedAt: string | null, sentiment: number | null = null): KpiConversation => ({ id, botId, channel: 'chat', status, outcome, startedAt, endedAt, sentiment });

const conversations = [
  c('a', 'bank', '2025-03-01T10:00:00.000Z', 'ended', 'resolved', '2025-03-01T10:02:00.000Z', 0.5),
  c('b', 'bank', '2025-03-01T11:00:00.000Z', 'ended', 'escalated', '2025-03-01T11:30:00.000Z', -0.5),
  c('c', 'bank', '2025-03-02T09:00:00.000Z', 'ended', 'abandoned', '2025-03-02T09:01:00.000Z'),
  c('d', 'cards', '2025-04-02T09:00:00.000Z', 'ended', 'resolved', '2025-04-02T09:04:00.000Z', 0),
  // handed over, then to a survey bot that ended it "resolved": still escalated, not resolved by the bot
  c('e', 'cards', '2025-04-02T10:00:00.000Z', 'ended', 'resolved', '2025-04-02T10:20:00.000Z'),
  // asked for an agent when none was there: not escalated
  c('f', 'bank', '2025-04-03T10:00:00.000Z', 'active', null, null),
];
const e = (conversationId: string, queue: string, requestedAt: string, queued: boolean) => ({ conversationId, queue, requestedAt, queuedAt: queued ? requestedAt : null }) as EscalationRecord;
const escalations = [e('b', 'general', '2025-03-01T11:01:00.000Z', true), e('e', 'cards', '2025-04-02T10:03:00.000Z', true), e('f', 'general', '2025-04-03T10:01:00.000Z', false)];

describe('historical KPIs', () => {
  it('computes resolution and escalation rates, times and sentiment', () => {
    const [all] = computeKpis(conversations, escalations, 'total');
    expect(all).toMatchObject({ conversations: 6, resolved: 2, escalated: 2, avgSentiment: 0 });
    expect(all?.resolutionRate).toBeCloseTo(2 / 6);
    expect(all?.escalationRate).toBeCloseTo(2 / 6);
    expect(all?.avgResolutionMs).toBe((120_000 + 240_000) / 2);
    expect(all?.avgEscalationMs).toBe((60_000 + 180_000) / 2);
  });

  it('groups by day, bot and queue', () => {
    expect(computeKpis(conversations, escalations, 'day').map((r) => [r.key, r.conversations])).toEqual([
      ['2025-03-01', 2],
      ['2025-03-02', 1],
      ['2025-04-02', 2],
      ['2025-04-03', 1],
    ]);
    expect(computeKpis(conversations, escalations, 'bot').map((r) => [r.key, r.resolved, r.escalated])).toEqual([
      ['bank', 1, 1],
      ['cards', 1, 1],
    ]);
    expect(computeKpis(conversations, escalations, 'queue').map((r) => [r.key, r.conversations])).toEqual([
      ['(bot)', 4],
      ['cards', 1],
      ['general', 1],
    ]);
  });

  it('meters one bot session per conversation per month, escalated ones included', () => {
    expect(meterBotSessions(conversations, escalations)).toEqual([
      { month: '2025-03', sessions: 3, escalated: 1 },
      { month: '2025-04', sessions: 3, escalated: 1 },
    ]);
  });

  it('exports CSV with a header and empty cells for missing values', () => {
    const csv = kpiCsv(computeKpis(conversations, escalations, 'bot'), 'bot');
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('bot,conversations,resolved,escalated,resolution_rate,escalation_rate,avg_resolution_ms,avg_escalation_ms,avg_sentiment');
    expect(lines[1]).toBe('bank,4,1,1,0.25,0.25,120000,60000,0');
    expect(kpiCsv([{ key: 'x,"y"', conversations: 0, resolved: 0, escalated: 0, resolutionRate: null, escalationRate: null, avgResolutionMs: null, avgEscalationMs: null, avgSentiment: null }], 'queue')).toContain('"x,""y""",0,0,0,,,,,');
  });
});
