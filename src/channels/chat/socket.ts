import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { Type, type Static } from 'typebox';
import Value from 'typebox/value';
import { isParleyError } from '../../errors.ts';
import type { ConversationService, ChannelInput } from '../../runtime/conversation-service.ts';
import { renderChat, type ChatMessage } from './render.ts';

/**
 * The live chat channel over WebSocket: `/chat/ws?bot=<id>` starts a conversation (or resumes one with
 * `&conversation=<id>`). Client frames: `{"type":"message","text"}`, `{"type":"digits","digits"}`.
 * Server frames: `{"type":"conversation","id"}`, `{"type":"message","text","buttons"?}`,
 * `{"type":"event","name"}`, `{"type":"error","code","message"}`.
 */
const ClientFrame = Type.Union([
  Type.Object({ type: Type.Literal('message'), text: Type.String({ minLength: 1, maxLength: 2000 }) }),
  Type.Object({ type: Type.Literal('digits'), digits: Type.String({ pattern: '^[0-9*#]{1,64}$' }) }),
]);
const Query = Type.Object({ bot: Type.String({ minLength: 1 }), conversation: Type.Optional(Type.String()) });

type Frame = { type: 'conversation'; id: string } | ChatMessage | { type: 'error'; code: string; message: string };

function send(ws: WebSocket, frame: Frame | { type: 'message'; text: string; from: 'agent' }): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
}

function sendError(ws: WebSocket, err: unknown): void {
  if (isParleyError(err)) send(ws, { type: 'error', code: err.code, message: err.message });
  else send(ws, { type: 'error', code: 'PARLEY_ERR_INTERNAL', message: 'internal error' });
}

export function chatSocketRoute(app: FastifyInstance, service: ConversationService): void {
  app.get<{ Querystring: Static<typeof Query> }>('/chat/ws', { websocket: true, schema: { hide: true, querystring: Query } }, (ws, req) => {
    let conversationId: string | undefined = req.query.conversation;
    const queue: Array<() => Promise<void>> = [];
    let busy = false;
    const enqueue = (task: () => Promise<void>) => {
      queue.push(task);
      if (!busy) void drain();
    };
    const drain = async () => {
      busy = true;
      while (queue.length) {
        const task = queue.shift() as () => Promise<void>;
        try {
          await task();
        } catch (err) {
          req.log.warn({ err }, 'chat turn failed');
          sendError(ws, err);
        }
      }
      busy = false;
    };
    const emit = (actions: Parameters<typeof renderChat>[0]) => {
      for (const m of renderChat(actions)) send(ws, m);
    };
    // What others do in this conversation reaches the customer through the turn stream: a human agent's
    // messages, and the bot's when another party started its turn (a hand-back to a bot, a survey). The
    // bot's answers to this socket's own messages are sent by `emit` instead, while `busy`.
    let ended = false;
    const unsubscribe = service.subscribe(({ conversation, turns }) => {
      if (conversation.id !== conversationId) return;
      for (const t of turns) {
        if (t.speaker === 'agent') send(ws, { type: 'message', text: t.text, from: 'agent' });
        else if (t.speaker === 'bot' && !busy) send(ws, { type: 'message', text: t.text });
      }
      if (conversation.status === 'ended' && !busy && !ended) {
        ended = true;
        send(ws, { type: 'event', name: 'ended', ...(conversation.outcome ? { outcome: conversation.outcome } : {}) });
      }
    });
    ws.on('close', unsubscribe);
    if (!conversationId) {
      enqueue(async () => {
        const { conversation, actions } = await service.start(req.query.bot, { channel: 'chat' });
        conversationId = conversation.id;
        send(ws, { type: 'conversation', id: conversation.id });
        emit(actions);
      });
    } else {
      send(ws, { type: 'conversation', id: conversationId });
    }
    ws.on('message', (data) => {
      let frame: Static<typeof ClientFrame>;
      try {
        const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(new Uint8Array(data)).toString('utf8');
        const parsed: unknown = JSON.parse(text);
        if (!Value.Check(ClientFrame, parsed)) throw new Error('bad frame');
        frame = parsed;
      } catch {
        send(ws, { type: 'error', code: 'PARLEY_ERR_BAD_REQUEST', message: 'send {"type":"message","text":"…"} or {"type":"digits","digits":"…"}' });
        return;
      }
      enqueue(async () => {
        if (!conversationId) return;
        const input: ChannelInput = frame.type === 'message' ? { text: frame.text } : { digits: frame.digits };
        const { actions } = await service.send(conversationId, input);
        emit(actions);
      });
    });
  });
}
