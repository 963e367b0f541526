import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { ParleyError } from '../../../../errors.ts';
import { queuesVisibleTo } from '../../../../handoff/auth/access.ts';
import type { Handoff } from '../../../../handoff/handoff-module.ts';
import { botOnlyQueue, computeKpis, emptyKpiRow, kpiCsv, meterBotSessions, type KpiGrouping } from '../../../../handoff/kpis.ts';
import { supervisorOverview } from '../../../../handoff/supervisor-overview.ts';
import type { ConversationStore } from '../../../../storage/port.ts';
import { principal } from './principal.ts';

const Range = Type.Object({
  from: Type.Optional(Type.String({ description: 'ISO date or time; default 30 days ago' })),
  to: Type.Optional(Type.String({ description: 'ISO date or time, exclusive; default now' })),
  by: Type.Optional(Type.Union([Type.Literal('total'), Type.Literal('day'), Type.Literal('bot'), Type.Literal('queue')])),
});

function range(q: Static<typeof Range>, defaultDays: number): { from: string; to: string } {
  const to = q.to ? Date.parse(q.to) : Date.now() + 1;
  const from = q.from ? Date.parse(q.from) : to - defaultDays * 86_400_000;
  if (Number.isNaN(to) || Number.isNaN(from)) throw new ParleyError('PARLEY_ERR_BAD_REQUEST', 'from and to must be ISO dates such as 2025-03-01');
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

/** The supervisor view's live overview, the historical KPIs (JSON and CSV) and bot-session metering. */
export function supervisorRoutes(app: FastifyInstance, handoff: Handoff, conversations: ConversationStore): void {
  app.get('/api/supervisor/overview', { schema: { summary: 'Live: queue depth and longest wait, agent states, conversations with sentiment per turn' } }, async (req) =>
    supervisorOverview(principal(req, 'supervisor', 'admin'), { engine: handoff.engine, stores: handoff.stores, conversations, now: new Date() }),
  );

  const kpis = async (req: Parameters<typeof principal>[0], q: Static<typeof Range>) => {
    const p = principal(req, 'supervisor', 'admin');
    const { from, to } = range(q, 30);
    const [list, escalations] = await Promise.all([handoff.stores.kpis.conversations(from, to), handoff.stores.escalations.list({ from: new Date(Date.parse(from) - 86_400_000).toISOString(), limit: 100_000 })]);
    const by: KpiGrouping = q.by ?? 'day';
    let rows = computeKpis(list, escalations, by);
    if (p.role !== 'admin' && by === 'queue') {
      const visible = new Set(queuesVisibleTo(p, handoff.engine.routing.queues.map((x) => x.id)));
      rows = rows.filter((r) => r.key === botOnlyQueue || visible.has(r.key));
    }
    return { from, to, by, rows, total: computeKpis(list, escalations, 'total')[0] ?? emptyKpiRow('all') };
  };

  app.get<{ Querystring: Static<typeof Range> }>('/api/kpis', { schema: { summary: 'Historical KPIs: resolution and escalation rates and times, sentiment; by day, bot or queue', querystring: Range } }, async (req) => kpis(req, req.query));

  app.get<{ Querystring: Static<typeof Range> }>('/api/kpis.csv', { schema: { summary: 'The historical KPIs as CSV', querystring: Range } }, async (req, reply) => {
    const r = await kpis(req, req.query);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="parley-kpis-${r.by}-${r.from.slice(0, 10)}-${r.to.slice(0, 10)}.csv"`)
      .send(kpiCsv(r.rows, r.by));
  });

  app.get<{ Querystring: Static<typeof Range> }>('/api/metering', { schema: { summary: 'Bot sessions per month (one per conversation, escalated ones count)', querystring: Range } }, async (req) => {
    principal(req, 'admin', 'supervisor');
    const { from, to } = range(req.query, 366);
    const [list, escalations] = await Promise.all([handoff.stores.kpis.conversations(from, to), handoff.stores.escalations.list({ from: new Date(Date.parse(from) - 86_400_000).toISOString(), limit: 100_000 })]);
    return { from, to, months: meterBotSessions(list, escalations) };
  });
}
