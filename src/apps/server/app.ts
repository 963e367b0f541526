import { readFileSync } from 'node:fs';
import swagger from '@fastify/swagger';
import websocket from '@fastify/websocket';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { lazyRequestLogger } from './request-logger.ts';
import type { Logger } from 'pino';
import { chatSocketRoute } from '../../channels/chat/socket.ts';
import type { Handoff } from '../../handoff/handoff-module.ts';
import type { BotRegistry } from '../../runtime/bot-registry.ts';
import type { ConversationService } from '../../runtime/conversation-service.ts';
import type { Storage } from '../../storage/port.ts';
import type { IvrApps } from '../../channels/voicexml/apps/ivr-apps.ts';
import type { SessionRefCodec } from '../../channels/voicexml/apps/session-ref.ts';
import { bearerAuth } from './api-auth.ts';
import { callRoutes, type CallRoutesDeps } from './routes/calls.ts';
import { installErrorHandling } from './http-errors.ts';
import { conversationRoutes } from './routes/conversations.ts';
import { demoBankRoutes } from './routes/demo-bank.ts';
import { escalationSummaryOf, handoffRoutes } from './routes/handoff/index.ts';
import { ivrAppRoutes } from './routes/ivr/ivr-app-routes.ts';
import { ivrHookRoutes } from './routes/ivr/ivr-hook-route.ts';

export interface AppDeps {
  bots: BotRegistry;
  service: ConversationService;
  storage: Storage;
  apiKey: string;
  logger: Logger;
  /** Serve the demo bank's back end (for the demo bot's service nodes). */
  demo?: boolean;
  /** The hand-off to humans: people, routing, agent desk, supervisor view (its routes and pages). */
  handoff?: Handoff;
  /** The VoiceXML IVR channel: its apps (JWT secrets) and session references; the webhook and its API. */
  ivr?: { apps: IvrApps; sessions: SessionRefCodec; audience?: string };
  /** Reverse proxies trusted to name the client (`ServerConfig.trustProxy`). */
  trustProxy?: boolean | string;
  /** The SIP gateway's calls and their media statistics (`GET /api/calls`). */
  calls?: CallRoutesDeps;
}

const chatPage = readFileSync(new URL('../../channels/chat/web/chat.html', import.meta.url), 'utf8');

/** Builds the HTTP application: REST API (bearer key), chat channel, OpenAPI document. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    // tsc needs the widening to FastifyBaseLogger (pino's Logger type is narrower); the linter's view differs.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    loggerInstance: deps.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    // each request's logger is made on its first line (most requests log none)
    childLoggerFactory: lazyRequestLogger,
    bodyLimit: 1_048_576,
    ...(deps.trustProxy !== undefined ? { trustProxy: deps.trustProxy } : {}),
  });
  installErrorHandling(app);
  await app.register(swagger, {
    openapi: {
      info: { title: 'Parley API', version: '0.1.0', description: 'Conversational IVR and bot-to-agent platform' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });

  app.get('/health', { schema: { hide: true } }, async () => ({ status: 'ok', bots: deps.bots.list().map((b) => b.id) }));
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/chat', { schema: { hide: true } }, async (_req, reply) => reply.type('text/html; charset=utf-8').send(chatPage));
  app.get('/chat/bots', { schema: { hide: true } }, async () => ({ bots: deps.bots.list().map((b) => ({ id: b.id, name: b.name })) }));
  chatSocketRoute(app, deps.service);
  if (deps.demo !== false) demoBankRoutes(app);
  if (deps.ivr) {
    await app.register(
      ivrHookRoutes({ botOf: (id) => (deps.bots.has(id) ? deps.bots.get(id).bot : undefined), service: deps.service, ...deps.ivr }),
    );
  }

  await app.register(async (api) => {
    api.addHook('onRequest', bearerAuth(deps.apiKey));
    api.get('/api/bots', { schema: { summary: 'The loaded bots' } }, async () => ({
      bots: deps.bots.list().map((b) => ({ id: b.id, name: b.name, language: b.language, intents: b.intents.map((i) => i.name), dialogs: Object.keys(b.dialogs) })),
    }));
    conversationRoutes(api, {
      service: deps.service,
      storage: deps.storage,
      maskEntities: (c) => deps.bots.get(c.botId).masker.entities(c.state.vars.entities, c.state),
      ...(deps.handoff ? { escalationOf: escalationSummaryOf(deps.handoff) } : {}),
    });
    if (deps.ivr) {
      const { apps } = deps.ivr;
      ivrAppRoutes(api, { apps, botIvr: (id) => (deps.bots.has(id) ? { enabled: deps.bots.get(id).bot.settings.ivr.enabled } : undefined) });
    }
    if (deps.calls) callRoutes(api, deps.calls);
  });
  if (deps.handoff) await app.register(handoffRoutes({ handoff: deps.handoff, service: deps.service, conversations: deps.storage.conversations, apiKey: deps.apiKey }));
  return app;
}
