import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { ParleyError } from '../../../../errors.ts';
import type { Handoff } from '../../../../handoff/handoff-module.ts';
import type { ConnectorConfig, RoutingModel } from '../../../../routing/model.ts';
import { formatRoutingProblems, readRouting, toRoutingFile } from '../../../../routing/routing-config.ts';
import { AgentSchema, QueueSchema } from '../../../../routing/routing-schema.ts';
import { routeIncoming } from '../../../../routing/rules.ts';
import type { ConversationService } from '../../../../runtime/conversation-service.ts';
import { textMessages } from '../../../../channels/chat/render.ts';
import { principal } from './principal.ts';

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const StartBody = Type.Object(
  { customer: Type.Optional(Type.String({ maxLength: 200 })), variables: Type.Optional(Type.Record(Type.String(), Type.Unknown())) },
  { additionalProperties: false },
);

/** The routing model through the API: read it (supervisors, administrators), replace it or one part (administrators). */
export function routingRoutes(app: FastifyInstance, handoff: Handoff, service: ConversationService): void {
  const apply = async (req: Parameters<typeof principal>[0], file: unknown, what: string) => {
    const p = principal(req, 'admin');
    const result = readRouting(withKeptSecrets(file, handoff.engine.routing));
    if (!result.model) throw new ParleyError('PARLEY_ERR_BAD_REQUEST', `the routing model is not valid: ${formatRoutingProblems(result.problems)}`, { details: result.problems });
    handoff.replaceRouting(result.model);
    await handoff.desk.audit(p, 'routing.update', null, { what });
    return toRoutingFile(result.model);
  };

  app.get('/api/routing', { schema: { summary: 'The routing model: workstreams, queues, agents, bots, rules, surveys, connectors (secrets hidden)' } }, (req, reply) => {
    principal(req, 'supervisor', 'admin');
    return reply.send({ ...toRoutingFile(handoff.engine.routing), source: handoff.routingSource ?? null });
  });

  app.put('/api/routing', { schema: { summary: 'Replace the routing model (written to the data folder’s routing.yaml)' } }, async (req) => {
    const { source: _source, ...file } = (req.body ?? {}) as Record<string, unknown>;
    return apply(req, file, 'model');
  });

  app.put<{ Params: Static<typeof IdParams> }>('/api/routing/queues/:id', { schema: { summary: 'Add or replace a queue', params: IdParams, body: Type.Omit(QueueSchema, ['id']) } }, async (req) => {
    const file = toRoutingFile(handoff.engine.routing, { revealSecrets: true });
    const queue = { ...(req.body as object), id: req.params.id } as (typeof file.queues)[number];
    file.queues = [...file.queues.filter((q) => q.id !== req.params.id), queue];
    return apply(req, file, `queue ${req.params.id}`);
  });

  app.put<{ Params: Static<typeof IdParams> }>('/api/routing/agents/:id', { schema: { summary: 'Add or replace an agent profile', params: IdParams, body: Type.Omit(AgentSchema, ['id']) } }, async (req) => {
    const file = toRoutingFile(handoff.engine.routing, { revealSecrets: true });
    const agent = { ...(req.body as object), id: req.params.id } as NonNullable<typeof file.agents>[number];
    file.agents = [...(file.agents ?? []).filter((a) => a.id !== req.params.id), agent];
    return apply(req, file, `agent ${req.params.id}`);
  });

  app.get('/api/connectors', { schema: { summary: 'The external contact-center connectors' } }, (req, reply) => {
    principal(req, 'supervisor', 'admin');
    return reply.send({ connectors: handoff.engine.routing.connectors.map((c) => ({ id: c.id, kind: c.kind })) });
  });

  app.post<{ Params: Static<typeof IdParams> }>('/api/connectors/:id/test', { schema: { summary: 'Test a connector’s connection (credentials, reachability)', params: IdParams } }, async (req) => {
    const p = principal(req, 'admin');
    const connector = handoff.connectors.get(req.params.id);
    if (!connector) throw new ParleyError('PARLEY_ERR_NOT_FOUND', `no connector '${req.params.id}'`);
    const check = await connector.test();
    await handoff.desk.audit(p, 'connector.test', null, { connector: connector.id, ok: check.ok });
    return { connector: connector.id, kind: connector.kind, ...check };
  });

  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof StartBody> }>(
    '/api/workstreams/:id/conversations',
    { schema: { summary: 'Start a conversation routed by the workstream’s rules to its first-line bot', params: IdParams, body: StartBody } },
    async (req, reply) => {
      principal(req, 'admin');
      const ws = handoff.engine.routing.workstreams.find((w) => w.id === req.params.id);
      if (!ws) throw new ParleyError('PARLEY_ERR_NOT_FOUND', `no workstream '${req.params.id}'`);
      const variables = req.body?.variables ?? {};
      const routed = routeIncoming({ ...handoff.engine.routing, workstreams: [ws] }, { channel: ws.channel, entities: {}, context: variables, session: variables, user: {}, customer: req.body?.customer !== undefined ? { id: req.body.customer } : {} });
      if (!routed) throw new ParleyError('PARLEY_ERR_CONFLICT', `no rule of workstream '${ws.id}' leads to a queue with a bot member`);
      const { conversation, actions } = await service.start(routed.bot, {
        channel: ws.channel,
        ...(req.body?.customer !== undefined ? { customer: req.body.customer } : {}),
        session: { ...variables, workstream: ws.id, firstLineQueue: routed.queue.id },
      });
      return reply.status(201).send({ id: conversation.id, bot: routed.bot, queue: routed.queue.id, rule: routed.rule?.name ?? null, messages: textMessages(actions), status: conversation.status });
    },
  );
}

/** A model sent back with `****` in place of secrets keeps the secrets it had. */
function withKeptSecrets(file: unknown, current: RoutingModel): unknown {
  if (!file || typeof file !== 'object' || !Array.isArray((file as { connectors?: unknown }).connectors)) return file;
  const byId = new Map(current.connectors.map((c) => [c.id, c]));
  const connectors = ((file as { connectors: Array<Record<string, unknown>> }).connectors).map((c) => {
    const old = byId.get(String(c.id)) as (ConnectorConfig & Record<string, unknown>) | undefined;
    if (!old) return c;
    return Object.fromEntries(Object.entries(c).map(([k, v]) => [k, v === '****' && typeof old[k] === 'string' ? old[k] : v]));
  });
  return { ...file, connectors };
}
