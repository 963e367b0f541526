import Value from 'typebox/value';
import { parseExpression } from '../core/expression.ts';
import { knownTimezone, parseRange } from './business-hours.ts';
import { channelConnector } from './placement.ts';
import {
  defaultOfferTimeoutMs,
  defaultPresenceGraceMs,
  weekdays,
  type ConnectorConfig,
  type QueueDef,
  type RoutingModel,
} from './model.ts';
import { RoutingFileSchema, type AgentInput, type QueueInput, type RoutingFile } from './routing-schema.ts';

/** One thing wrong in a routing model, by field path (`queues[1].overflow.queue`). */
export interface RoutingProblem {
  path: Array<string | number>;
  message: string;
}

export const defaultCapacity = { chat: 3, voice: 1 };

/** Checks a routing file's shape and meaning; the model with defaults applied, or the problems found. */
export function readRouting(value: unknown): { model: RoutingModel; problems: [] } | { model?: undefined; problems: RoutingProblem[] } {
  if (!Value.Check(RoutingFileSchema, value)) {
    const problems = [...Value.Errors(RoutingFileSchema, value)].slice(0, 20).map((e) => ({
      path: e.instancePath.split('/').slice(1),
      message: e.message,
    }));
    return { problems };
  }
  const model = normalize(value);
  const problems = checkRouting(model);
  return problems.length ? { problems } : { model, problems: [] };
}

function normalize(file: RoutingFile): RoutingModel {
  return {
    workstreams: (file.workstreams ?? []).map((w) => ({
      id: w.id,
      channel: w.channel,
      bots: w.bots ?? [],
      rules: (w.rules ?? []).map((r) => ({ name: r.name, if: r.if, queue: r.queue, skills: r.skills ?? [] })),
    })),
    queues: file.queues.map(queueFrom),
    agents: (file.agents ?? []).map(agentFrom),
    bots: (file.bots ?? []).map((b) => ({ id: b.id, queues: b.queues })),
    surveys: (file.surveys ?? []).map((s) => ({ if: s.if, bot: s.bot })),
    connectors: (file.connectors ?? []).map(connectorFrom),
    presenceGraceMs: file.presenceGraceMs ?? defaultPresenceGraceMs,
  };
}

export function queueFrom(q: QueueInput): QueueDef {
  return {
    id: q.id,
    name: q.name ?? q.id,
    priority: q.priority ?? 0,
    ...(q.hours ? { hours: { timezone: q.hours.timezone, weekly: q.hours.weekly, closedOn: q.hours.closedOn ?? [] } } : {}),
    ...(q.overflow
      ? { overflow: { queue: q.overflow.queue, when: q.overflow.when ?? ['closed', 'no-agents'], ...(q.overflow.afterMs !== undefined ? { afterMs: q.overflow.afterMs } : {}) } }
      : {}),
    offerTimeoutMs: q.offerTimeoutMs ?? defaultOfferTimeoutMs,
    skills: q.skills ?? [],
    ...(q.connector !== undefined ? { connector: q.connector } : {}),
  };
}

export function agentFrom(a: AgentInput) {
  return {
    id: a.id,
    name: a.name ?? a.id,
    skills: a.skills ?? [],
    languages: a.languages ?? [],
    capacity: { chat: a.capacity?.chat ?? defaultCapacity.chat, voice: a.capacity?.voice ?? defaultCapacity.voice },
    queues: a.queues,
  };
}

function connectorFrom(c: NonNullable<RoutingFile['connectors']>[number]): ConnectorConfig {
  switch (c.kind) {
    case 'cxone':
      return { ...c };
    case 'webhook':
      return { ...c, maxAttempts: c.maxAttempts ?? 5, initialBackoffMs: c.initialBackoffMs ?? 1000 };
    case 'sip':
      return { ...c, headers: c.headers ?? {} };
  }
}

/** The problems of meaning a schema cannot see: unknown references, bad conditions, overflow loops. */
export function checkRouting(model: RoutingModel): RoutingProblem[] {
  const problems: RoutingProblem[] = [];
  const queueIds = new Set<string>();
  const connectorIds = new Set(model.connectors.map((c) => c.id));
  duplicates(model.queues.map((q) => q.id), 'queues', problems);
  duplicates(model.agents.map((a) => a.id), 'agents', problems);
  duplicates(model.workstreams.map((w) => w.id), 'workstreams', problems);
  duplicates(model.connectors.map((c) => c.id), 'connectors', problems);
  for (const q of model.queues) queueIds.add(q.id);
  const knownQueue = (path: Array<string | number>, id: string) => {
    if (!queueIds.has(id)) problems.push({ path, message: `unknown queue '${id}' (queues: ${[...queueIds].join(', ') || 'none'})` });
  };
  const condition = (path: Array<string | number>, src: string) => {
    try {
      parseExpression(src);
    } catch (err) {
      problems.push({ path, message: err instanceof Error ? err.message : String(err) });
    }
  };
  model.queues.forEach((q, i) => {
    if (q.overflow) {
      knownQueue(['queues', i, 'overflow', 'queue'], q.overflow.queue);
      if (overflowLoops(model.queues, q)) problems.push({ path: ['queues', i, 'overflow'], message: `overflow from '${q.id}' comes back to it` });
    }
    if (q.connector !== undefined && q.connector !== channelConnector && !connectorIds.has(q.connector)) {
      problems.push({ path: ['queues', i, 'connector'], message: `unknown connector '${q.connector}' (connectors: ${[channelConnector, ...connectorIds].join(', ')})` });
    }
    if (q.hours) {
      if (!knownTimezone(q.hours.timezone)) problems.push({ path: ['queues', i, 'hours', 'timezone'], message: `unknown time zone '${q.hours.timezone}'` });
      for (const day of weekdays) {
        (q.hours.weekly[day] ?? []).forEach((r, j) => {
          if (!parseRange(r)) problems.push({ path: ['queues', i, 'hours', 'weekly', day, j], message: `'${r}' is not a range HH:MM-HH:MM ending after it starts` });
        });
      }
    }
  });
  model.agents.forEach((a, i) => a.queues.forEach((id, j) => knownQueue(['agents', i, 'queues', j], id)));
  model.bots.forEach((b, i) => b.queues.forEach((id, j) => knownQueue(['bots', i, 'queues', j], id)));
  model.workstreams.forEach((w, i) =>
    w.rules.forEach((r, j) => {
      knownQueue(['workstreams', i, 'rules', j, 'queue'], r.queue);
      condition(['workstreams', i, 'rules', j, 'if'], r.if);
    }),
  );
  model.surveys.forEach((s, i) => condition(['surveys', i, 'if'], s.if));
  return problems;
}

function duplicates(ids: string[], field: string, problems: RoutingProblem[]): void {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id)) problems.push({ path: [field, i, 'id'], message: `'${id}' is defined twice` });
    seen.add(id);
  });
}

function overflowLoops(queues: QueueDef[], start: QueueDef): boolean {
  const byId = new Map(queues.map((q) => [q.id, q]));
  const seen = new Set<string>([start.id]);
  let cur = start.overflow ? byId.get(start.overflow.queue) : undefined;
  while (cur) {
    if (seen.has(cur.id)) return cur.id === start.id;
    seen.add(cur.id);
    cur = cur.overflow ? byId.get(cur.overflow.queue) : undefined;
  }
  return false;
}

/** The model in file form (what `routing.yaml` and `GET /api/routing` hold); secrets shown as `****` unless asked. */
export function toRoutingFile(model: RoutingModel, options: { revealSecrets?: boolean } = {}): RoutingFile {
  const hide = (v: string) => (options.revealSecrets || v.startsWith('env:') ? v : '****');
  return {
    workstreams: model.workstreams.map((w) => ({ id: w.id, channel: w.channel, ...(w.bots.length ? { bots: w.bots } : {}), rules: w.rules.map((r) => ({ ...r })) })),
    queues: model.queues.map((q) => ({ ...q, ...(q.hours ? { hours: { ...q.hours } } : {}) })),
    agents: model.agents.map((a) => ({ ...a, capacity: { ...a.capacity } })),
    bots: model.bots.map((b) => ({ ...b })),
    surveys: model.surveys.map((s) => ({ ...s })),
    connectors: model.connectors.map((c) => {
      switch (c.kind) {
        case 'cxone':
          return { ...c, accessKeyId: hide(c.accessKeyId), accessKeySecret: hide(c.accessKeySecret) };
        case 'webhook':
          return { ...c, secret: hide(c.secret) };
        case 'sip':
          return { ...c };
      }
    }),
    presenceGraceMs: model.presenceGraceMs,
  };
}

/** A secret of the model: literal, or `env:NAME` read from the environment (undefined when unset). */
export function resolveSecret(value: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return value.startsWith('env:') ? env[value.slice(4)] : value;
}

export function formatRoutingProblems(problems: RoutingProblem[]): string {
  return problems.map((p) => `${fieldPath(p.path)}: ${p.message}`).join('; ');
}

function fieldPath(path: Array<string | number>): string {
  return path.map((k, i) => (typeof k === 'number' || /^\d+$/.test(String(k)) ? `[${k}]` : i === 0 ? k : `.${k}`)).join('') || '(file)';
}
