/** Evaluation reports as text tables for a terminal. */
import type { EvalReport } from './evaluate.ts';

const pct = (v: number | null): string => (v === null ? 'n/a' : `${(100 * v).toFixed(2)} %`);
const ms = (v: number): string =>
  v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${v.toFixed(v < 10 ? 3 : 0)} ms`;

/** Pads cells into aligned columns; numeric-looking columns are right-aligned. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const numeric = header.map((_, c) => rows.length > 0 && rows.every((r) => /^[\d.\s%-]*$/.test(r[c] ?? '')));
  const line = (cells: string[]): string =>
    cells
      .map((cell, c) => (numeric[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function formatReport(report: EvalReport): string {
  const t = report.timing;
  const lines: string[] = [];
  lines.push(`Trained on ${report.trainExamples} examples of ${report.intents} intents in ${ms(t.trainMs)}.`);
  if (report.thresholdSource === 'none') lines.push('No out-of-scope threshold.');
  else {
    const how =
      report.thresholdSource === 'given' ? 'given' : `${report.thresholdSource}, ${ms(t.thresholdMs)}`;
    lines.push(`Out-of-scope threshold ${report.threshold.toFixed(3)} (${how}).`);
  }
  lines.push(
    `Tested on ${report.examples} utterances (${report.inScopeExamples} in scope, ${report.oosExamples} out of scope).`,
  );
  lines.push('');
  lines.push(
    table(
      ['measure', 'value'],
      [
        ['in-scope accuracy', pct(report.accuracy)],
        ['out-of-scope recall', pct(report.oosRecall)],
        ['overall accuracy', pct(report.overallAccuracy)],
        ['macro F1', pct(report.macroF1)],
        ['latency mean', ms(t.predictMeanMs)],
        ['latency p50', ms(t.predictP50Ms)],
        ['latency p99', ms(t.predictP99Ms)],
      ],
    ),
  );
  lines.push('');
  lines.push('Per intent, worst F1 first:');
  const perIntent = [...report.perIntent].sort((a, b) => a.f1 - b.f1 || (a.intent < b.intent ? -1 : 1));
  lines.push(
    table(
      ['intent', 'precision', 'recall', 'F1', 'support'],
      perIntent.map((m) => [
        m.intent,
        (100 * m.precision).toFixed(1),
        (100 * m.recall).toFixed(1),
        (100 * m.f1).toFixed(1),
        String(m.support),
      ]),
    ),
  );
  lines.push('');
  if (report.confusions.length === 0) lines.push('No confusions.');
  else {
    lines.push('Most confused (gold -> predicted):');
    lines.push(
      table(
        ['count', 'gold', 'predicted'],
        report.confusions.map((c) => [String(c.count), c.gold, c.predicted]),
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}
