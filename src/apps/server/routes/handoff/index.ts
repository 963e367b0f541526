import type { FastifyInstance } from 'fastify';
import type { Handoff } from '../../../../handoff/handoff-module.ts';
import type { ConversationService } from '../../../../runtime/conversation-service.ts';
import type { ConversationStore } from '../../../../storage/port.ts';
import { deskRoutes } from './desk-routes.ts';
import { deskSocketRoute } from './desk-socket.ts';
import { historyPage } from './history-page.ts';
import { peopleRoutes, signInRoutes } from './people-routes.ts';
import { peopleAuth } from './principal.ts';
import { routingRoutes } from './routing-routes.ts';
import { supervisorRoutes } from './supervisor-routes.ts';
import { webAppRoutes } from './web-app.ts';

/**
 * Everything people use around the hand-off: sign-in, people, routing model, agent desk, supervisor view,
 * KPIs, the history page, the live socket and the web app. Calls under `/api` need the API key (an
 * administrator) or a person's session (bearer token or cookie); roles are checked per route.
 */
export function handoffRoutes(deps: { handoff: Handoff; service: ConversationService; conversations: ConversationStore; apiKey: string }) {
  return async (app: FastifyInstance): Promise<void> => {
    signInRoutes(app, deps.handoff);
    historyPage(app, deps.handoff, deps.conversations, deps.apiKey);
    deskSocketRoute(app, deps.handoff, deps.apiKey);
    webAppRoutes(app);
    await app.register((api) => {
      api.addHook('onRequest', peopleAuth(deps.apiKey, deps.handoff.people));
      peopleRoutes(api, deps.handoff);
      routingRoutes(api, deps.handoff, deps.service);
      deskRoutes(api, deps.handoff);
      supervisorRoutes(api, deps.handoff, deps.conversations);
      return Promise.resolve();
    });
  };
}

/** The latest hand-off of a conversation, as `GET /api/conversations/{id}` shows it. */
export function escalationSummaryOf(handoff: Handoff) {
  return async (conversationId: string) => {
    const list = await handoff.stores.escalations.forConversation(conversationId);
    const e = list[list.length - 1];
    return e && { id: e.id, queue: e.queue, status: e.status, historyKey: e.historyKey, agentId: e.agentId, endReason: e.endReason, disposition: e.disposition, requestedAt: e.requestedAt };
  };
}
