import type { EscalationRecord } from './escalation.ts';
import type { KpiConversation } from './store/ports.ts';

/**
 * The historical KPIs of the Azure seed, per group:
 * - resolution rate: conversations the bot finished without a human (ended `resolved`, never handed over) / all;
 * - escalation rate: conversations handed to a human (a hand-off that reached a queue) / all;
 * - average resolution time: start to end of the resolved ones;
 * - average escalation time: start to the first hand-off request of the escalated ones;
 * - average sentiment: mean over conversations of their customer turns' mean sentiment.
 */
export type KpiGrouping = 'total' | 'day' | 'bot' | 'queue';

export interface KpiRow {
  key: string;
  conversations: number;
  resolved: number;
  escalated: number;
  resolutionRate: number | null;
  escalationRate: number | null;
  avgResolutionMs: number | null;
  avgEscalationMs: number | null;
  avgSentiment: number | null;
}

export const botOnlyQueue = '(bot)';

/** All KPIs of a period with no conversations. */
export function emptyKpiRow(key: string): KpiRow {
  return { key, conversations: 0, resolved: 0, escalated: 0, resolutionRate: null, escalationRate: null, avgResolutionMs: null, avgEscalationMs: null, avgSentiment: null };
}

export function computeKpis(conversations: KpiConversation[], escalations: EscalationRecord[], by: KpiGrouping): KpiRow[] {
  const firstPlaced = new Map<string, EscalationRecord>();
  for (const e of [...escalations].sort((a, b) => a.requestedAt.localeCompare(b.requestedAt))) {
    if (e.queuedAt !== null && !firstPlaced.has(e.conversationId)) firstPlaced.set(e.conversationId, e);
  }
  const groups = new Map<string, KpiConversation[]>();
  for (const c of conversations) {
    const key = by === 'total' ? 'all' : by === 'day' ? c.startedAt.slice(0, 10) : by === 'bot' ? c.botId : (firstPlaced.get(c.id)?.queue ?? botOnlyQueue);
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, list]) => {
      const escalated = list.filter((c) => firstPlaced.has(c.id) || c.outcome === 'escalated');
      const resolved = list.filter((c) => c.status === 'ended' && c.outcome === 'resolved' && !firstPlaced.has(c.id));
      const sentiments = list.map((c) => c.sentiment).filter((s): s is number => s !== null);
      return {
        key,
        conversations: list.length,
        resolved: resolved.length,
        escalated: escalated.length,
        resolutionRate: ratio(resolved.length, list.length),
        escalationRate: ratio(escalated.length, list.length),
        avgResolutionMs: mean(resolved.filter((c) => c.endedAt !== null).map((c) => Date.parse(c.endedAt as string) - Date.parse(c.startedAt))),
        avgEscalationMs: mean(escalated.flatMap((c) => { const e = firstPlaced.get(c.id); return e ? [Date.parse(e.requestedAt) - Date.parse(c.startedAt)] : []; })),
        avgSentiment: mean(sentiments),
      };
    });
}

export interface MeterRow {
  month: string;
  /** One per conversation a bot took part in, however many bots it met; escalated ones count. */
  sessions: number;
  escalated: number;
}

/** Bot sessions per calendar month (UTC), by the Azure seed's rules. */
export function meterBotSessions(conversations: KpiConversation[], escalations: EscalationRecord[]): MeterRow[] {
  const handed = new Set(escalations.filter((e) => e.queuedAt !== null).map((e) => e.conversationId));
  const months = new Map<string, MeterRow>();
  for (const c of conversations) {
    const month = c.startedAt.slice(0, 7);
    const row = months.get(month) ?? { month, sessions: 0, escalated: 0 };
    row.sessions++;
    if (handed.has(c.id) || c.outcome === 'escalated') row.escalated++;
    months.set(month, row);
  }
  return [...months.values()].sort((a, b) => a.month.localeCompare(b.month));
}

export function kpiCsv(rows: KpiRow[], by: KpiGrouping): string {
  const head = [by === 'total' ? 'period' : by, 'conversations', 'resolved', 'escalated', 'resolution_rate', 'escalation_rate', 'avg_resolution_ms', 'avg_escalation_ms', 'avg_sentiment'];
  const cell = (v: string | number | null) => (v === null ? '' : typeof v === 'number' ? String(Math.round(v * 10_000) / 10_000) : /[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  const lines = rows.map((r) => [r.key, r.conversations, r.resolved, r.escalated, r.resolutionRate, r.escalationRate, r.avgResolutionMs, r.avgEscalationMs, r.avgSentiment].map(cell).join(','));
  return `${[head.join(','), ...lines].join('\n')}\n`;
}

function ratio(a: number, b: number): number | null {
  return b === 0 ? null : a / b;
}

function mean(xs: number[]): number | null {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}
