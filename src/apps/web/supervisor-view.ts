import { createElement as h, useCallback, useEffect, useRef, useState, type ChangeEvent, type ReactNode } from 'react';
import { api, type Person } from './api.ts';
import { BarChart, duration, percent, SentimentBars } from './components.ts';
import { useLive } from './live.ts';

interface Overview {
  at: string;
  totals: { withBot: number; waiting: number; withAgents: number; agentsSignedIn: number };
  queues: Array<{ queue: string; name: string; waiting: number; longestWaitMs: number; offered: number; assigned: number; agentsSignedIn: number; agentsAvailable: number; open: boolean; connector: string | null }>;
  agents: Array<{ id: string; name: string; presence: string; load: { chat: number; voice: number }; capacity: { chat: number; voice: number }; idleForMs: number | null }>;
  conversations: Array<{ id: string; botId: string; channel: string; with: string; queue: string | null; agentId: string | null; startedAt: string; turns: number; sentiment: Array<{ seq: number; sentiment: number }> }>;
}

interface KpiRow {
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

interface Kpis {
  from: string;
  to: string;
  by: string;
  rows: KpiRow[];
  total: KpiRow | null;
}

type Grouping = 'day' | 'bot' | 'queue';

/** The supervisor view: live queues, agents and conversations (with sentiment per turn), historical KPIs and metering. */
export function SupervisorView(props: { person: Person; onSignOut: () => void }): ReactNode {
  const [overview, setOverview] = useState<Overview | null>(null);
  const [kpis, setKpis] = useState<Kpis | null>(null);
  const [byDay, setByDay] = useState<Kpis | null>(null);
  const [meter, setMeter] = useState<Array<{ month: string; sessions: number; escalated: number }>>([]);
  const [by, setBy] = useState<Grouping>('queue');
  const [error, setError] = useState<string | null>(null);
  const fail = (err: unknown) => setError(err instanceof Error ? err.message : String(err));

  const loadOverview = useCallback(() => {
    api<Overview>('GET', '/api/supervisor/overview').then(setOverview).catch(fail);
  }, []);
  const loadHistory = useCallback(() => {
    api<Kpis>('GET', '/api/kpis?by=day').then(setByDay).catch(fail);
    api<{ months: typeof meter }>('GET', '/api/metering')
      .then((r) => setMeter(r.months))
      .catch(fail);
  }, []);
  // the history scans a month of conversations: at most every few seconds, however often things change
  const history = useThrottled(loadHistory, 3000);
  useEffect(() => {
    loadOverview();
    history();
    const t = window.setInterval(() => {
      loadOverview();
      history();
    }, 10_000);
    return () => window.clearInterval(t);
  }, [loadOverview, history]);
  useEffect(() => {
    api<Kpis>('GET', `/api/kpis?by=${by}`).then(setKpis).catch(fail);
  }, [by, byDay]);
  useLive((f) => {
    if (f.type !== 'overview-changed') return;
    loadOverview();
    history();
  });

  const total = byDay?.total;
  return h(
    'div',
    { className: 'supervisor' },
    h('header', { className: 'bar' }, h('h1', null, 'Supervisor view'), h('span', { className: 'who' }, props.person.displayName), h('button', { type: 'button', onClick: props.onSignOut }, 'Sign out')),
    error ? h('p', { role: 'alert', className: 'error' }, error) : null,
    overview
      ? h(
          'section',
          { 'aria-label': 'Now' },
          h('h2', null, 'Now'),
          h(
            'ul',
            { className: 'tiles' },
            tile('with-bot', 'With the bot', overview.totals.withBot),
            tile('waiting', 'Waiting for an agent', overview.totals.waiting),
            tile('with-agents', 'With agents', overview.totals.withAgents),
            tile('agents-signed-in', 'Agents signed in', overview.totals.agentsSignedIn),
          ),
          h('h3', null, 'Queues'),
          table(
            ['Queue', 'Open', 'Waiting', 'Longest wait', 'Offered', 'With agents', 'Agents signed in', 'Available'],
            overview.queues.map((q) => [q.name, q.open ? 'yes' : 'closed', q.waiting, duration(q.longestWaitMs), q.offered, q.assigned, q.connector ? `via ${q.connector}` : q.agentsSignedIn, q.agentsAvailable]),
            'queues',
          ),
          h('h3', null, 'Agents'),
          table(
            ['Agent', 'Presence', 'Chats', 'Calls', 'Idle'],
            overview.agents.map((a) => [a.name, a.presence, `${a.load.chat}/${a.capacity.chat}`, `${a.load.voice}/${a.capacity.voice}`, duration(a.idleForMs)]),
            'agents',
          ),
          h('h3', null, 'Live conversations'),
          h(
            'table',
            { className: 'grid', 'data-table': 'conversations' },
            h('thead', null, h('tr', null, ['Started', 'Channel', 'Bot', 'With', 'Queue', 'Agent', 'Turns', 'Sentiment per customer turn'].map((c) => h('th', { key: c, scope: 'col' }, c)))),
            h(
              'tbody',
              null,
              overview.conversations.map((c) =>
                h(
                  'tr',
                  { key: c.id },
                  h('td', null, new Date(c.startedAt).toLocaleTimeString()),
                  h('td', null, c.channel),
                  h('td', null, c.botId),
                  h('td', null, c.with),
                  h('td', null, c.queue ?? '—'),
                  h('td', null, c.agentId ?? '—'),
                  h('td', null, c.turns),
                  h('td', null, h(SentimentBars, { values: c.sentiment.map((s) => s.sentiment), label: 'sentiment' })),
                ),
              ),
            ),
          ),
        )
      : h('p', null, 'Loading…'),
    h(
      'section',
      { 'aria-label': 'History' },
      h('h2', null, 'Last 30 days'),
      total
        ? h(
            'ul',
            { className: 'tiles' },
            tile('conversations', 'Conversations', total.conversations),
            tile('resolution-rate', 'Resolution rate', percent(total.resolutionRate)),
            tile('escalation-rate', 'Escalation rate', percent(total.escalationRate)),
            tile('escalated', 'Escalated', total.escalated),
            tile('avg-resolution', 'Avg resolution time', duration(total.avgResolutionMs)),
            tile('avg-escalation', 'Avg escalation time', duration(total.avgEscalationMs)),
            tile('avg-sentiment', 'Avg sentiment', total.avgSentiment === null ? '—' : total.avgSentiment.toFixed(2)),
          )
        : null,
      byDay ? h(BarChart, { points: byDay.rows.map((r) => ({ key: r.key, value: r.conversations })), label: 'Conversations per day', format: (v) => String(v) }) : null,
      byDay ? h(BarChart, { points: byDay.rows.map((r) => ({ key: r.key, value: r.escalationRate ?? 0 })), label: 'Escalation rate per day', format: percent }) : null,
      h(
        'p',
        null,
        h('label', null, 'KPIs by ', h('select', { value: by, onChange: (e: ChangeEvent<HTMLSelectElement>) => setBy(e.target.value as Grouping) }, ['queue', 'bot', 'day'].map((g) => h('option', { key: g, value: g }, g)))),
        ' ',
        h('a', { href: `/api/kpis.csv?by=${by}`, download: true }, 'Export CSV'),
      ),
      kpis
        ? table(
            [by, 'Conversations', 'Resolved', 'Escalated', 'Resolution rate', 'Escalation rate', 'Avg resolution', 'Avg escalation', 'Avg sentiment'],
            kpis.rows.map((r) => [r.key, r.conversations, r.resolved, r.escalated, percent(r.resolutionRate), percent(r.escalationRate), duration(r.avgResolutionMs), duration(r.avgEscalationMs), r.avgSentiment === null ? '—' : r.avgSentiment.toFixed(2)]),
            'kpis',
          )
        : null,
      h('h3', null, 'Bot sessions per month'),
      table(['Month', 'Bot sessions', 'Of which escalated'], meter.map((m) => [m.month, m.sessions, m.escalated]), 'metering'),
    ),
  );
}

function tile(id: string, label: string, value: string | number): ReactNode {
  return h('li', { key: id, className: 'tile', 'data-tile': id }, h('span', { className: 'label' }, label), h('strong', { className: 'value' }, String(value)));
}

function table(head: string[], rows: Array<Array<string | number>>, name: string): ReactNode {
  return h(
    'table',
    { className: 'grid', 'data-table': name },
    h('thead', null, h('tr', null, head.map((c) => h('th', { key: c, scope: 'col' }, c)))),
    h('tbody', null, rows.map((r, i) => h('tr', { key: i }, r.map((c, j) => h('td', { key: j }, String(c)))))),
  );
}

/** Calls `fn` at most once per `ms`, the last call of a burst delayed rather than dropped. */
function useThrottled(fn: () => void, ms: number): () => void {
  const state = useRef({ last: 0, timer: 0 });
  return useCallback(() => {
    const s = state.current;
    const wait = s.last + ms - Date.now();
    if (wait <= 0) {
      s.last = Date.now();
      fn();
    } else if (!s.timer) {
      s.timer = window.setTimeout(() => {
        s.timer = 0;
        s.last = Date.now();
        fn();
      }, wait);
    }
  }, [fn, ms]);
}
