import { createElement as h, type ReactNode } from 'react';
import type { Turn } from './api.ts';

/** The transcript of a conversation: who said what, with intents and the customer's sentiment. */
export function Transcript(props: { turns: Turn[]; label: string }): ReactNode {
  return h(
    'ol',
    { className: 'transcript', 'aria-label': props.label, role: 'log', 'aria-live': 'polite' },
    props.turns.map((t) =>
      h(
        'li',
        { key: t.seq, className: `turn ${t.speaker}` },
        h('span', { className: 'who' }, t.speaker),
        h('span', { className: 'text' }, t.text),
        t.intent ? h('small', { className: 'intent' }, ` ${t.intent}`) : null,
        t.sentiment !== null && t.speaker === 'customer' ? h('small', { className: 'sentiment', title: 'sentiment' }, ` ${sentimentLabel(t.sentiment)}`) : null,
      ),
    ),
  );
}

export function sentimentLabel(s: number): string {
  return s > 0.2 ? '🙂 positive' : s < -0.2 ? '🙁 negative' : '😐 neutral';
}

/** Captured data as a definition list. */
export function DataList(props: { data: Record<string, unknown>; label: string }): ReactNode {
  const entries = Object.entries(props.data).filter(([, v]) => v !== undefined && v !== null && v !== '');
  if (entries.length === 0) return h('p', { className: 'muted' }, 'No data captured.');
  return h(
    'dl',
    { className: 'data', 'aria-label': props.label },
    entries.flatMap(([k, v]) => [h('dt', { key: `${k}-k` }, k), h('dd', { key: `${k}-v` }, typeof v === 'string' ? v : JSON.stringify(v))]),
  );
}

/** Sentiment of each customer turn, as small bars around a zero line. */
export function SentimentBars(props: { values: number[]; label: string }): ReactNode {
  const w = 6;
  const height = 24;
  return h(
    'svg',
    { width: Math.max(w, props.values.length * (w + 2)), height, role: 'img', 'aria-label': `${props.label}: ${props.values.map((v) => v.toFixed(1)).join(', ') || 'none yet'}` },
    h('line', { x1: 0, x2: props.values.length * (w + 2), y1: height / 2, y2: height / 2, stroke: '#c9d0db' }),
    props.values.map((v, i) => {
      const barHeight = Math.max(1, Math.abs(v) * (height / 2));
      return h('rect', { key: i, x: i * (w + 2), y: v >= 0 ? height / 2 - barHeight : height / 2, width: w, height: barHeight, fill: v >= 0 ? '#2e9d5b' : '#d64545' });
    }),
  );
}

/** A bar chart of one series by key (KPIs by day). */
export function BarChart(props: { points: Array<{ key: string; value: number }>; label: string; format: (v: number) => string }): ReactNode {
  const max = Math.max(1e-9, ...props.points.map((p) => p.value));
  const barW = 28;
  const chartH = 120;
  return h(
    'figure',
    { className: 'chart' },
    h(
      'svg',
      { width: Math.max(200, props.points.length * (barW + 8)), height: chartH + 36, role: 'img', 'aria-label': `${props.label}: ${props.points.map((p) => `${p.key} ${props.format(p.value)}`).join('; ')}` },
      props.points.map((p, i) => {
        const bh = (p.value / max) * chartH;
        return h(
          'g',
          { key: p.key },
          h('rect', { x: i * (barW + 8), y: chartH - bh, width: barW, height: bh, fill: '#2557d6' }),
          h('text', { x: i * (barW + 8) + barW / 2, y: chartH + 12, textAnchor: 'middle', fontSize: 9 }, p.key.slice(5)),
          h('text', { x: i * (barW + 8) + barW / 2, y: Math.max(10, chartH - bh - 3), textAnchor: 'middle', fontSize: 9 }, props.format(p.value)),
        );
      }),
    ),
    h('figcaption', null, props.label),
  );
}

export function percent(v: number | null): string {
  return v === null ? '—' : `${(v * 100).toFixed(0)}%`;
}

export function duration(ms: number | null): string {
  if (ms === null) return '—';
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${s % 60}s`;
}
