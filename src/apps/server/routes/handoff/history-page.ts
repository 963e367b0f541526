import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { maySeeHandoff } from '../../../../handoff/auth/access.ts';
import type { Handoff } from '../../../../handoff/handoff-module.ts';
import type { ConversationStore } from '../../../../storage/port.ts';
import { resolvePrincipal } from './principal.ts';

const Query = Type.Object({
  session_history_key: Type.String({ minLength: 1, maxLength: 200 }),
  expires: Type.Optional(Type.String()),
  signature: Type.Optional(Type.String()),
});

const escape = (s: string | number | null | undefined) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * `/history?session_history_key=…`: the page an agent's tool pops to show what the bot learned (the Watson
 * seed's conversation-history frame). The key alone opens nothing: the link must be signed and unexpired
 * (`GET /api/conversations/{id}/history-link`, and the webhook events carry one), or the viewer signed in
 * with access to the conversation. Every opening is audited.
 */
export function historyPage(app: FastifyInstance, handoff: Handoff, conversations: ConversationStore, apiKey: string): void {
  app.get<{ Querystring: Static<typeof Query> }>('/history', { schema: { hide: true, querystring: Query } }, async (req, reply) => {
    const { session_history_key: key, expires, signature } = req.query;
    const page = (status: number, body: string) => reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').send(body);
    const conversation = await conversations.getByHistoryKey(key);
    const signed = handoff.links.verify(key, expires, signature);
    const viewer = signed ? undefined : await resolvePrincipal(req, apiKey, handoff.people);
    let allowed = signed;
    if (!allowed && viewer && conversation) {
      const escalations = await handoff.stores.escalations.forConversation(conversation.id);
      const events = (await Promise.all(escalations.map((e) => handoff.stores.escalations.events(e.id)))).flat();
      allowed = escalations.length > 0 && maySeeHandoff(viewer, escalations, events);
    }
    if (!allowed) return page(403, shell('Not allowed', '<p>This link has expired or is not valid. Ask for a new link, or <a href="/agent">sign in</a> with access to this conversation.</p>'));
    if (!conversation) return page(404, shell('Not found', '<p>No conversation has this key.</p>'));
    const turns = await conversations.turns(conversation.id);
    const escalations = await handoff.stores.escalations.forConversation(conversation.id);
    const last = escalations[escalations.length - 1];
    await handoff.stores.audit.append({
      id: randomUUID(),
      at: new Date().toISOString(),
      actor: viewer?.id ?? 'signed-link',
      role: viewer?.role ?? 'system',
      action: 'history.view',
      conversationId: conversation.id,
      detail: null,
    });
    const data = last?.context.entities ?? {};
    const rows = Object.entries(data).map(([k, v]) => `<tr><th scope="row">${escape(k)}</th><td>${escape(typeof v === 'string' ? v : JSON.stringify(v))}</td></tr>`).join('');
    const transcript = turns.map((t) => `<li class="${escape(t.speaker)}"><span class="who">${escape(t.speaker)}</span> ${escape(t.text)}${t.intent ? ` <small>(${escape(t.intent)})</small>` : ''}</li>`).join('');
    return page(
      200,
      shell(
        'Conversation history',
        `<dl><dt>Bot</dt><dd>${escape(conversation.botId)}</dd><dt>Channel</dt><dd>${escape(conversation.channel)}</dd><dt>Intent</dt><dd id="intent">${escape(last?.context.intent ?? conversation.state.lastIntent?.name ?? '—')}</dd><dt>Queue</dt><dd>${escape(last?.queue ?? '—')}</dd><dt>Note</dt><dd>${escape(last?.context.message ?? '—')}</dd></dl>
<h2>Captured data</h2><table id="data">${rows || '<tr><td>none</td></tr>'}</table>
<h2>Transcript</h2><ol id="transcript">${transcript}</ol>`,
      ),
    );
  });
}

function shell(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)} · Parley</title>
<style>body{font-family:system-ui,sans-serif;margin:24px;color:#1d2430;max-width:760px}dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px}dt{font-weight:600}table{border-collapse:collapse}th,td{border:1px solid #d5dbe5;padding:4px 8px;text-align:left}ol{padding-left:0;list-style:none}li{padding:6px 10px;margin:4px 0;border-radius:8px;background:#eef1f6}li.customer{background:#dde7fb}li.agent{background:#e4f4e8}.who{font-weight:600;margin-right:6px;text-transform:capitalize}</style>
</head><body><h1>${escape(title)}</h1>${body}</body></html>`;
}
