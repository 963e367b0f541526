import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { textMessages } from '../../../channels/chat/render.ts';
import { ParleyError } from '../../../errors.ts';
import type { ConversationService } from '../../../runtime/conversation-service.ts';
import type { ConversationRecord, Storage, TurnRecord } from '../../../storage/port.ts';

const channel = Type.Union([Type.Literal('chat'), Type.Literal('voice'), Type.Literal('ivr')]);
const status = Type.Union([Type.Literal('active'), Type.Literal('escalated'), Type.Literal('ended')]);
const Message = Type.Object({
  text: Type.String(),
  buttons: Type.Optional(Type.Array(Type.Object({ title: Type.String(), value: Type.String() }))),
});
const TurnReply = Type.Object({
  id: Type.String(),
  messages: Type.Array(Message),
  ended: Type.Boolean(),
  status,
  outcome: Type.Union([Type.String(), Type.Null()]),
});
const StartBody = Type.Object(
  {
    channel: Type.Optional(channel),
    customer: Type.Optional(Type.String({ maxLength: 200 })),
    variables: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'initial session.* values' })),
  },
  { additionalProperties: false },
);
const SendBody = Type.Union([
  Type.Object({ text: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }),
  Type.Object({ digits: Type.String({ pattern: '^[0-9*#A-D]{1,64}$' }) }, { additionalProperties: false }),
  Type.Object(
    { event: Type.String({ pattern: '^[A-Za-z][\\w.-]{0,63}$' }), data: Type.Optional(Type.Record(Type.String(), Type.Unknown())) },
    { additionalProperties: false },
  ),
]);
const ListQuery = Type.Object({
  bot: Type.Optional(Type.String()),
  channel: Type.Optional(channel),
  status: Type.Optional(status),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
});
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const BotParams = Type.Object({ botId: Type.String({ minLength: 1, maxLength: 100 }) });

export function summary(c: ConversationRecord) {
  return {
    id: c.id,
    botId: c.botId,
    channel: c.channel,
    status: c.status,
    outcome: c.outcome,
    startedAt: c.startedAt,
    updatedAt: c.updatedAt,
    endedAt: c.endedAt,
    durationMs: (c.endedAt ? Date.parse(c.endedAt) : Date.parse(c.updatedAt)) - Date.parse(c.startedAt),
  };
}

/** The conversation with its transcript, as an agent's tool or an operator reads it. */
/** The stored hand-off of a conversation, when the routing engine keeps them. */
export interface EscalationSummary {
  queue: string;
  status: string;
  historyKey: string;
  [more: string]: unknown;
}

export function conversationView(
  c: ConversationRecord,
  turns: TurnRecord[],
  maskEntities: (e: Record<string, unknown>) => Record<string, unknown>,
  stored?: EscalationSummary,
) {
  const { session, user } = c.state.vars;
  return {
    ...summary(c),
    customer: c.customer,
    historyKey: c.historyKey,
    intent: c.state.lastIntent ?? null,
    entities: maskEntities(c.state.vars.entities),
    variables: { session, user },
    escalation:
      stored ??
      (c.outcome === 'escalated'
        ? { queue: session.escalationQueue ?? null, status: 'requested', historyKey: c.historyKey }
        : null),
    turns: turns.map((t) => ({
      seq: t.seq,
      speaker: t.speaker,
      text: t.text,
      channel: t.channel,
      intent: t.intent,
      confidence: t.confidence,
      entities: t.entities,
      sentiment: t.sentiment,
      at: t.at,
    })),
  };
}

export function conversationRoutes(
  app: FastifyInstance,
  deps: {
    service: ConversationService;
    storage: Storage;
    maskEntities: (c: ConversationRecord) => Record<string, unknown>;
    escalationOf?: (conversationId: string) => Promise<EscalationSummary | undefined>;
  },
): void {
  const reply = (c: ConversationRecord, actions: Parameters<typeof textMessages>[0]) => ({
    id: c.id,
    messages: textMessages(actions),
    ended: c.status === 'ended',
    status: c.status,
    outcome: c.outcome,
  });

  app.post<{ Params: Static<typeof BotParams>; Body: Static<typeof StartBody> }>(
    '/api/bots/:botId/conversations',
    { schema: { summary: 'Start a conversation with a bot', params: BotParams, body: StartBody, response: { 201: TurnReply } } },
    async (req, res) => {
      const body = req.body ?? {};
      const { conversation, actions } = await deps.service.start(req.params.botId, {
        channel: body.channel ?? 'chat',
        ...(body.customer !== undefined ? { customer: body.customer } : {}),
        session: { ...(body.variables ?? {}), ...(body.customer !== undefined ? { from: body.customer } : {}) },
      });
      return res.status(201).send(reply(conversation, actions));
    },
  );

  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof SendBody> }>(
    '/api/conversations/:id/messages',
    { schema: { summary: 'Send the customer’s message (text, keypad digits or an event)', params: IdParams, body: SendBody, response: { 200: TurnReply } } },
    async (req) => {
      const { conversation, actions } = await deps.service.send(req.params.id, req.body);
      return reply(conversation, actions);
    },
  );

  app.get<{ Params: Static<typeof IdParams> }>(
    '/api/conversations/:id',
    { schema: { summary: 'A conversation with its turns, variables, status and outcome', params: IdParams } },
    async (req) => {
      const c = await deps.storage.conversations.get(req.params.id);
      if (!c) throw new ParleyError('PARLEY_ERR_CONVERSATION_NOT_FOUND', `no conversation '${req.params.id}'`);
      const turns = await deps.storage.conversations.turns(c.id);
      return conversationView(c, turns, () => deps.maskEntities(c), await deps.escalationOf?.(c.id));
    },
  );

  app.get<{ Querystring: Static<typeof ListQuery> }>(
    '/api/conversations',
    { schema: { summary: 'Conversations, newest first', querystring: ListQuery } },
    async (req) => {
      const q = req.query;
      const list = await deps.storage.conversations.list({
        ...(q.bot ? { botId: q.bot } : {}),
        ...(q.channel ? { channel: q.channel } : {}),
        ...(q.status ? { status: q.status } : {}),
        ...(q.limit ? { limit: q.limit } : {}),
      });
      return { conversations: list.map(summary) };
    },
  );
}
