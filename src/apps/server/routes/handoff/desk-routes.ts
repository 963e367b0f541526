import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { ParleyError } from '../../../../errors.ts';
import { queuesVisibleTo } from '../../../../handoff/auth/access.ts';
import type { Handoff } from '../../../../handoff/handoff-module.ts';
import { escalationView, eventView } from '../../../../handoff/views.ts';
import { textMessages } from '../../../../channels/chat/render.ts';
import { principal } from './principal.ts';

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const Presence = Type.Object(
  { presence: Type.Union([Type.Literal('available'), Type.Literal('busy'), Type.Literal('away'), Type.Literal('offline')]) },
  { additionalProperties: false },
);
const Message = Type.Object({ text: Type.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false });
const Transfer = Type.Union([
  Type.Object({ queue: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
  Type.Object({ bot: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
]);
const End = Type.Object({ disposition: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });
const ListQuery = Type.Object({ status: Type.Optional(Type.String()), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) });
const AuditQuery = Type.Object({ conversation: Type.Optional(Type.String({ maxLength: 100 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })) });

/** The agent desktop's API: presence, offers, the conversations an agent holds; hand-offs and their audit trail. */
export function deskRoutes(app: FastifyInstance, handoff: Handoff): void {
  const desk = () => handoff.desk;

  app.get('/api/desk', { schema: { summary: 'The signed-in agent’s presence, offers and conversations' } }, async (req) => desk().state(principal(req, 'agent', 'supervisor', 'admin')));

  app.put<{ Body: Static<typeof Presence> }>('/api/desk/presence', { schema: { summary: 'Set the agent’s presence', body: Presence } }, async (req) => {
    await desk().setPresence(principal(req), req.body.presence);
    return { presence: req.body.presence };
  });

  app.post<{ Params: Static<typeof IdParams> }>('/api/desk/offers/:id/accept', { schema: { summary: 'Accept an offered hand-off', params: IdParams } }, async (req) => desk().accept(principal(req), req.params.id));

  app.post<{ Params: Static<typeof IdParams> }>('/api/desk/offers/:id/decline', { schema: { summary: 'Decline an offered hand-off (it goes to the next agent)', params: IdParams } }, async (req) => {
    await desk().decline(principal(req), req.params.id);
    return { declined: true };
  });

  app.get<{ Params: Static<typeof IdParams> }>('/api/desk/conversations/:id', { schema: { summary: 'A handed-over conversation with its transcript (if offered to you, or in your queues)', params: IdParams } }, async (req) => {
    const view = await desk().conversation(principal(req), req.params.id);
    return { ...view, escalations: view.escalations.map(escalationView) };
  });

  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof Message> }>('/api/desk/conversations/:id/messages', { schema: { summary: 'Send the customer a message', params: IdParams, body: Message } }, async (req) => {
    await desk().message(principal(req), req.params.id, req.body.text);
    return { sent: true };
  });

  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof Transfer> }>('/api/desk/conversations/:id/transfer', { schema: { summary: 'Transfer to another queue, or to a bot (not the one that escalated)', params: IdParams, body: Transfer } }, async (req) => {
    const r = await desk().transfer(principal(req), req.params.id, req.body);
    return { ...(r.escalation ? { escalation: escalationView(r.escalation) } : {}), ...(r.turn ? { messages: textMessages(r.turn.actions), status: r.turn.conversation.status } : {}) };
  });

  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof End> }>('/api/desk/conversations/:id/end', { schema: { summary: 'End with a wrap-up disposition (a survey rule may hand the customer to a survey bot)', params: IdParams, body: End } }, async (req) => {
    const r = await desk().end(principal(req), req.params.id, req.body.disposition);
    return { ended: true, survey: r.survey ?? null };
  });

  app.get<{ Params: Static<typeof IdParams> }>('/api/escalations/:id', { schema: { summary: 'A hand-off with its life-cycle events', params: IdParams } }, async (req) => {
    const p = principal(req);
    const e = await handoff.stores.escalations.get(req.params.id);
    if (!e) throw new ParleyError('PARLEY_ERR_NOT_FOUND', `no hand-off '${req.params.id}'`);
    await desk().visibleEscalations(p, e.conversationId);
    return { ...escalationView(e), events: (await handoff.stores.escalations.events(e.id)).map(eventView) };
  });

  app.get<{ Querystring: Static<typeof ListQuery> }>('/api/escalations', { schema: { summary: 'Hand-offs, newest first (supervisors: their queues)', querystring: ListQuery } }, async (req) => {
    const p = principal(req, 'supervisor', 'admin');
    const visible = new Set(queuesVisibleTo(p, handoff.engine.routing.queues.map((q) => q.id)));
    const statuses = req.query.status?.split(',').filter(Boolean) as Parameters<typeof handoff.stores.escalations.list>[0]['statuses'];
    const list = await handoff.stores.escalations.list({ ...(statuses ? { statuses } : {}), limit: req.query.limit ?? 100 });
    return { escalations: list.filter((e) => p.role === 'admin' || visible.has(e.queue)).map(escalationView) };
  });

  app.get<{ Params: Static<typeof IdParams> }>('/api/conversations/:id/history-link', { schema: { summary: 'A signed, expiring link to the conversation history page', params: IdParams } }, async (req) => {
    const p = principal(req);
    const escalations = await desk().visibleEscalations(p, req.params.id);
    const key = (escalations[0] as { historyKey: string }).historyKey;
    await desk().audit(p, 'history.link', req.params.id, null);
    const url = handoff.links.link(key);
    return { url, expiresAt: new Date(Number(new URL(url).searchParams.get('expires')) * 1000).toISOString() };
  });

  app.get<{ Params: Static<typeof IdParams> }>('/api/conversations/:id/survey', { schema: { summary: 'The post-conversation survey answers', params: IdParams } }, async (req) => {
    const p = principal(req, 'supervisor', 'admin');
    await desk().visibleEscalations(p, req.params.id);
    return { surveys: await handoff.stores.surveys.forConversation(req.params.id) };
  });

  app.get<{ Querystring: Static<typeof AuditQuery> }>('/api/audit', { schema: { summary: 'The audit log, newest first (supervisors: a conversation of their queues)', querystring: AuditQuery } }, async (req) => {
    const p = principal(req, 'supervisor', 'admin');
    if (p.role !== 'admin') {
      if (!req.query.conversation) throw new ParleyError('PARLEY_ERR_FORBIDDEN', 'supervisors read the audit log of one conversation (?conversation=<id>)');
      await desk().visibleEscalations(p, req.query.conversation);
    }
    return { entries: await handoff.stores.audit.list({ ...(req.query.conversation ? { conversationId: req.query.conversation } : {}), ...(req.query.limit ? { limit: req.query.limit } : {}) }) };
  });
}
